import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitFileError, commitFile, gitBlobSha } from '../../src/github/commit-file.ts';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { mountStandIn } from '../support/nock-stand-in.ts';

const REPO = { owner: 'acme', repo: 'widgets' };
const octokit = () => createOctokit({ token: 'ghs_test', resilient: false });

function repo(): GitHubStandIn {
  const github = new GitHubStandIn();
  github.files.set('README.md', '# widgets\n');
  mountStandIn(github);
  return github;
}

afterEach(() => {
  nock.cleanAll();
});

describe('commitFile', () => {
  it('creates the branch from the default branch and commits the file on it', async () => {
    const github = repo();
    const done = await commitFile(octokit(), REPO, {
      branch: 'flowgate/7-docs-1a2b3c4d',
      path: 'docs/plans/7.md',
      text: '# Plan\n\nStep one.\n',
      message: 'flowgate: plan of #7',
    });
    expect(done).toMatchObject({ branch: 'flowgate/7-docs-1a2b3c4d', changed: true, createdBranch: true });
    expect(done.url).toBe('https://github.com/acme/widgets/blob/flowgate/7-docs-1a2b3c4d/docs/plans/7.md');
    const branch = github.branches.get('flowgate/7-docs-1a2b3c4d');
    expect(branch?.files.get('docs/plans/7.md')).toBe('# Plan\n\nStep one.\n');
    expect(branch?.files.get('README.md')).toBe('# widgets\n');
    expect(branch?.head).toBe(done.commit);
    expect(github.files.has('docs/plans/7.md')).toBe(false);
    expect(github.commits).toEqual([
      {
        branch: 'flowgate/7-docs-1a2b3c4d',
        sha: done.commit,
        path: 'docs/plans/7.md',
        message: 'flowgate: plan of #7',
      },
    ]);
  });

  it('updates the file on a later attempt, and commits nothing when the text is the same', async () => {
    const github = repo();
    const file = { branch: 'flowgate/run', path: 'out.md', text: 'first', message: 'm' };
    await commitFile(octokit(), REPO, file);
    const second = await commitFile(octokit(), REPO, { ...file, text: 'second, with ünïcode ✓' });
    expect(second).toMatchObject({ changed: true, createdBranch: false });
    expect(github.branches.get('flowgate/run')?.files.get('out.md')).toBe('second, with ünïcode ✓');
    const requests = github.log.length;
    const again = await commitFile(octokit(), REPO, { ...file, text: 'second, with ünïcode ✓' });
    expect(again).toMatchObject({ changed: false, commit: second.commit });
    expect(github.commits).toHaveLength(2);
    // The branch exists and the file is read once; the head is read to report it. No write.
    expect(github.log.slice(requests).filter((l) => l.startsWith('PUT'))).toEqual([]);
  });

  it('reads the file again and writes once more when the branch moved meanwhile (409)', async () => {
    const github = repo();
    const file = { branch: 'flowgate/run', path: 'out.md', text: 'first', message: 'm' };
    await commitFile(octokit(), REPO, file);
    github.failures.push({ method: 'PUT', path: /contents/, status: 409, thenSucceed: false });
    const done = await commitFile(octokit(), REPO, { ...file, text: 'second' });
    expect(done.changed).toBe(true);
    expect(github.branches.get('flowgate/run')?.files.get('out.md')).toBe('second');
  });

  it('uses a branch another job created between the read and the create', async () => {
    const github = repo();
    // The first read of the branch says 404; the create then finds it made (422), so the file goes there.
    github.branches.set('flowgate/run', { head: 'f'.repeat(40), files: new Map() });
    github.failures.push({
      method: 'GET',
      path: /git\/ref\/heads(%2F|\/)flowgate/,
      status: 404,
      thenSucceed: false,
    });
    const done = await commitFile(octokit(), REPO, {
      branch: 'flowgate/run',
      path: 'a.md',
      text: 'x',
      message: 'm',
    });
    expect(done).toMatchObject({ changed: true, createdBranch: false });
  });

  it('says why when GitHub refuses the write, and names the file and the branch', async () => {
    const github = repo();
    github.failures.push({ method: 'PUT', path: /contents/, status: 403, thenSucceed: false });
    const error = await commitFile(octokit(), REPO, {
      branch: 'flowgate/run',
      path: 'a.md',
      text: 'x',
      message: 'm',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommitFileError);
    expect((error as Error).message).toMatch(/^GitHub refused to write a\.md on flowgate\/run \(403\): /);
  });

  it('refuses to write over a folder', async () => {
    const github = repo();
    github.files.set('docs/a.md', 'a');
    const error = await commitFile(octokit(), REPO, {
      branch: 'flowgate/run',
      path: 'docs',
      text: 'x',
      message: 'm',
    }).catch((e: unknown) => e);
    expect(github.branches.has('flowgate/run')).toBe(true);
    expect((error as Error).message).toBe('docs on flowgate/run is a folder, not a file');
  });

  it('reports an empty repository clearly', async () => {
    const github = new GitHubStandIn();
    github.defaultBranch = 'trunk';
    mountStandIn(github);
    github.failures.push({
      method: 'GET',
      path: /git\/ref\/heads(%2F|\/)trunk/,
      status: 404,
      thenSucceed: false,
    });
    const error = await commitFile(octokit(), REPO, {
      branch: 'flowgate/run',
      path: 'a.md',
      text: 'x',
      message: 'm',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'the default branch trunk has no commit to start flowgate/run from (is the repository empty?)',
    );
  });
});

describe('gitBlobSha', () => {
  it("is git's blob id (git hash-object)", () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(gitBlobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobSha('')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});
