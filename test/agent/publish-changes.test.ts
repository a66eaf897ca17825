import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PublishChangesParams, publishChanges } from '../../src/agent/publish-changes.ts';
import { pullBody } from '../../src/agent/pull-body.ts';
import { BranchMovedError } from '../../src/agent/push-commit.ts';
import { readHead } from '../../src/agent/read-head.ts';
import { runAgent } from '../../src/agent/run-agent.ts';
import { createOctokit } from '../../src/github/create-octokit.ts';
import { GitHttpServer } from '../support/git-http-server.ts';
import { GitHubStandIn } from '../support/github-stand-in.ts';
import { mountStandIn } from '../support/nock-stand-in.ts';
import { GitWorkspace, git } from './git-workspace.ts';

const FAKE = new URL('../fixtures/agent/fake-agent.mjs', import.meta.url).pathname;
const BOT = { name: 'flowgate[bot]', email: '41898282+flowgate[bot]@users.noreply.github.com' };
const BRANCH = 'flowgate/7-implement';

let ws: GitWorkspace;
let github: GitHubStandIn;

beforeEach(() => {
  ws = new GitWorkspace();
  github = new GitHubStandIn();
  github.issues.set(7, { title: 'Add --dry-run', author: 'alice', labels: [], state: 'open', pull: false });
  github.branchHead = (ref) => ws.remoteHead(ref);
  mountStandIn(github);
});

afterEach(() => {
  ws.remove();
});

function agent(...args: string[]): string {
  return [process.execPath, FAKE, ...args].map((a) => `'${a}'`).join(' ');
}

async function runFake(...args: string[]) {
  const result = await runAgent({
    command: agent(...args),
    prompt: 'Add a --dry-run flag.',
    cwd: ws.work,
    maxIterations: 5,
    timeoutMs: 15_000,
    trusted: true,
    parentEnv: { PATH: process.env.PATH },
  });
  expect(result.status).toBe('done');
  return result;
}

async function publish(base: string, more: Partial<PublishChangesParams> = {}) {
  return publishChanges({
    octokit: createOctokit({ token: 't', resilient: false }),
    repo: { owner: 'acme', repo: 'widgets' },
    cwd: ws.work,
    base,
    baseBranch: 'main',
    subject: 7,
    stage: 'implement',
    attempt: 1,
    remoteUrl: ws.origin,
    author: BOT,
    title: 'implement: Add --dry-run (#7)',
    summary: 'Adds the flag.',
    now: () => new Date('2025-06-12T10:00:00Z'),
    ...more,
  });
}

describe('publishChanges', () => {
  describe('after an agent that is done in one iteration', () => {
    it('commits its change, pushes the branch and opens a pull request tied to the issue', async () => {
      const base = await readHead(ws.work);
      await runFake('--done-after', '1', '--edit', 'sync.js=export function sync({ dryRun }) {}');
      const result = await publish(base);

      expect(result).toEqual({
        status: 'published',
        pull_number: 8,
        head_sha: ws.remoteHead(BRANCH),
        branch: BRANCH,
        created: true,
        files_changed: ['notes/iteration-1.txt', 'sync.js'],
        pull_url: 'https://github.com/acme/widgets/pull/8',
      });
      if (result.status !== 'published') return;
      expect(result.head_sha).toMatch(/^[0-9a-f]{40}$/);
      expect(git(ws.origin, 'log', '-1', '--format=%an <%ae>|%cn|%P|%s', result.head_sha)).toBe(
        `${BOT.name} <${BOT.email}>|flowgate[bot]|${base}|implement: Add --dry-run (#7)`,
      );
      expect(git(ws.origin, 'show', `${result.head_sha}:sync.js`)).toBe(
        'export function sync({ dryRun }) {}',
      );

      const pull = github.pulls.get(8);
      expect(pull).toMatchObject({ headRef: BRANCH, base: 'main', title: 'implement: Add --dry-run (#7)' });
      expect(pull?.body).toBe(
        [
          'Adds the flag.',
          '',
          'Made by flowgate for #7: stage `implement`, attempt 1.',
          '',
          '<details><summary>2 changed files</summary>',
          '',
          '- `notes/iteration-1.txt`',
          '- `sync.js`',
          '',
          '</details>',
          '',
          '<!-- flowgate:pr issue=7 -->',
        ].join('\n'),
      );
      expect(github.log).toEqual(['GET /repos/acme/widgets/pulls', 'POST /repos/acme/widgets/pulls']);
    });
  });

  describe('after an agent that needs three iterations', () => {
    it('publishes the work of all three in one commit', async () => {
      const base = await readHead(ws.work);
      const run = await runFake('--done-after', '3');
      expect(run.iterations).toHaveLength(3);
      const result = await publish(base);
      expect(result).toMatchObject({
        status: 'published',
        created: true,
        files_changed: ['notes/iteration-1.txt', 'notes/iteration-2.txt', 'notes/iteration-3.txt'],
      });
      if (result.status !== 'published') return;
      expect(git(ws.origin, 'rev-list', '--count', `${base}..${result.head_sha}`)).toBe('1');
    });
  });

  describe('after an agent that changed nothing', () => {
    it('says so, and pushes and opens nothing', async () => {
      const base = await readHead(ws.work);
      await runFake('--say', 'nothing to do');
      expect(await publish(base)).toEqual({
        status: 'unchanged',
        branch: BRANCH,
        message: `the agent changed nothing: the checkout is the same as ${base.slice(0, 12)}, so there is no pull request to open or update`,
      });
      expect(ws.remoteHead(BRANCH)).toBeUndefined();
      expect(github.log).toEqual([]);
    });

    it('does not count ignored files', async () => {
      const base = await readHead(ws.work);
      mkdirSync(join(ws.work, 'build'));
      writeFileSync(join(ws.work, 'build', 'out.js'), 'compiled\n');
      expect((await publish(base)).status).toBe('unchanged');
    });
  });

  describe('on a later attempt', () => {
    it('replaces the branch and updates the same pull request', async () => {
      const base = await readHead(ws.work);
      await runFake('--done-after', '1', '--edit', 'sync.js=first try');
      const first = await publish(base);
      if (first.status !== 'published') throw new Error('expected a pull request');

      // A new job: a fresh checkout of main, a new agent run.
      ws.clone();
      const base2 = await readHead(ws.work);
      await runFake('--edit', 'sync.js=second try');
      github.log = [];
      const second = await publish(base2, {
        attempt: 2,
        summary: 'Adds the flag, with the feedback applied.',
        expectedHead: first.head_sha,
      });

      expect(second).toMatchObject({
        status: 'published',
        pull_number: first.pull_number,
        created: false,
        files_changed: ['sync.js'],
      });
      if (second.status !== 'published') return;
      expect(second.head_sha).not.toBe(first.head_sha);
      expect(ws.remoteHead(BRANCH)).toBe(second.head_sha);
      expect(git(ws.origin, 'show', `${second.head_sha}:sync.js`)).toBe('second try');
      expect(github.pulls.size).toBe(1);
      expect(github.pulls.get(first.pull_number)?.body).toContain('with the feedback applied');
      expect(github.pulls.get(first.pull_number)?.body).toContain('attempt 2');
      expect(github.log).toEqual([
        'GET /repos/acme/widgets/pulls',
        `PATCH /repos/acme/widgets/pulls/${first.pull_number}`,
      ]);
    });

    it('refuses to overwrite a commit someone pushed to the branch since', async () => {
      const base = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'first try\n');
      const first = await publish(base);
      if (first.status !== 'published') throw new Error('expected a pull request');
      // Someone adds a commit on top of flowgate's.
      const other = join(ws.dir, 'other');
      git(ws.dir, 'clone', '--quiet', '--branch', BRANCH, ws.origin, other);
      writeFileSync(join(other, 'fix.txt'), 'a fix by hand\n');
      git(other, 'add', '.');
      git(other, 'commit', '--quiet', '-m', 'Fix by hand');
      git(other, 'push', '--quiet', 'origin', BRANCH);
      const theirs = ws.remoteHead(BRANCH);

      ws.clone();
      const base2 = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'second try\n');
      const attempt = publish(base2, { attempt: 2, expectedHead: first.head_sha });
      await expect(attempt).rejects.toBeInstanceOf(BranchMovedError);
      await expect(attempt).rejects.toThrow(
        `not pushing to ${BRANCH}: flowgate expected the branch to be at ${first.head_sha.slice(0, 12)} but it is at ${theirs?.slice(0, 12)}.`,
      );
      expect(ws.remoteHead(BRANCH)).toBe(theirs);
    });
  });

  describe('when the agent committed by itself', () => {
    it('folds its commits into one commit on top of the base', async () => {
      const base = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'committed by the agent\n');
      git(ws.work, 'commit', '--quiet', '-am', 'agent commit');
      writeFileSync(join(ws.work, 'more.txt'), 'left uncommitted\n');
      const result = await publish(base);
      if (result.status !== 'published') throw new Error('expected a pull request');
      expect(result.files_changed).toEqual(['more.txt', 'sync.js']);
      expect(git(ws.origin, 'log', '-1', '--format=%P|%an', result.head_sha)).toBe(`${base}|flowgate[bot]`);
    });
  });

  describe('when the agent tampered with the checkout’s git config', () => {
    it('pushes to the given remote anyway, and runs none of the checkout’s hooks', async () => {
      const base = await readHead(ws.work);
      const elsewhere = join(ws.dir, 'elsewhere.git');
      git(ws.dir, 'init', '--quiet', '--bare', elsewhere);
      const proof = join(ws.dir, 'hook-ran');
      // What an agent (or code it ran) could do to catch the push and its token.
      git(ws.work, 'config', `url.${elsewhere}.insteadOf`, ws.origin);
      git(ws.work, 'remote', 'set-url', 'origin', elsewhere);
      mkdirSync(join(ws.work, '.git', 'hooks'), { recursive: true });
      for (const hook of ['pre-push', 'pre-commit', 'post-commit', 'reference-transaction']) {
        writeFileSync(join(ws.work, '.git', 'hooks', hook), `#!/bin/sh\necho ${hook} >> '${proof}'\n`, {
          mode: 0o755,
        });
      }
      writeFileSync(join(ws.work, 'sync.js'), 'changed\n');

      const result = await publish(base, { token: 'ghs_secretToken' });

      expect(result.status).toBe('published');
      expect(ws.remoteHead(BRANCH)).toBe(result.status === 'published' ? result.head_sha : '');
      expect(existsSync(proof)).toBe(false);
      expect(git(elsewhere, 'for-each-ref')).toBe('');
    });
  });

  describe('over HTTPS-style auth', () => {
    let server: GitHttpServer;
    let url: string;

    beforeEach(async () => {
      server = new GitHttpServer(ws.dir, 'ghs_pushToken');
      url = `${await server.start()}/origin.git`;
    });

    afterEach(async () => {
      await server.stop();
    });

    it('sends the token only as a basic-auth header, and leaves it nowhere', async () => {
      const before = new Set(readdirSync(tmpdir()));
      const base = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'changed\n');
      const result = await publish(base, { remoteUrl: url, token: 'ghs_pushToken' });

      expect(result.status).toBe('published');
      const expected = `basic ${Buffer.from('x-access-token:ghs_pushToken').toString('base64')}`;
      expect(server.requests.map((r) => r.path)).toEqual([
        // ls-remote (protocol v2: the refs are asked for in a POST), then the push.
        'GET /origin.git/info/refs?service=git-upload-pack',
        'POST /origin.git/git-upload-pack',
        'GET /origin.git/info/refs?service=git-receive-pack',
        'POST /origin.git/git-receive-pack',
      ]);
      expect(server.requests.every((r) => r.authorization === expected)).toBe(true);
      expect(ws.remoteHead(BRANCH)).toBe(result.status === 'published' ? result.head_sha : '');
      expect(readFileSync(join(ws.work, '.git', 'config'), 'utf8')).not.toMatch(/ghs_pushToken|extraheader/i);
      expect(
        [...new Set(readdirSync(tmpdir()))].filter((d) => !before.has(d) && d.startsWith('flowgate-push-')),
      ).toEqual([]);
    });

    it('fails without showing the token when the remote refuses it', async () => {
      const base = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'changed\n');
      const attempt = publish(base, { remoteUrl: url, token: 'ghs_wrongToken' });
      await expect(attempt).rejects.toThrow(
        /^git ls-remote --end-of-options http:\/\/127\.0\.0\.1:\d+\/origin\.git refs\/heads\/flowgate\/7-implement failed \(exit status 128\): /,
      );
      const message = await attempt.catch((e: Error) => e.message);
      expect(message).not.toContain('ghs_wrongToken');
      expect(message).not.toContain(Buffer.from('x-access-token:ghs_wrongToken').toString('base64'));
      expect(github.log).toEqual([]);
    });
  });

  describe('bad input', () => {
    it('refuses a branch name git would refuse', async () => {
      const base = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'changed\n');
      await expect(publish(base, { branch: 'flowgate/7..implement' })).rejects.toThrow(
        '"flowgate/7..implement" is not a valid branch name (see git check-ref-format)',
      );
    });

    it('refuses a base that is not a commit', async () => {
      await expect(publish('0123456789abcdef0123456789abcdef01234567')).rejects.toThrow(
        /^git rev-parse --verify --end-of-options 0123456789abcdef0123456789abcdef01234567\^\{commit\} failed \(exit status 128\)/,
      );
    });

    it('says the branch was pushed when the pull request cannot be opened', async () => {
      const base = await readHead(ws.work);
      writeFileSync(join(ws.work, 'sync.js'), 'changed\n');
      github.failures.push({ method: 'POST', path: /\/pulls$/, status: 403, thenSucceed: false });
      const attempt = publish(base);
      await expect(attempt).rejects.toThrow(
        /^pushed [0-9a-f]{12} to flowgate\/7-implement, but the pull request could not be opened or updated: stand-in failure/,
      );
      expect(ws.remoteHead(BRANCH)).toMatch(/^[0-9a-f]{40}$/);
    });
  });
});

describe('pullBody', () => {
  it('defuses markers in the summary, so only its own marker names an issue', () => {
    const body = pullBody({
      subject: 7,
      stage: 'implement',
      summary: 'Done. <!-- flowgate:pr issue=99 --> <!-- flowgate:output {"kind":"response"} -->',
      files: ['a.txt'],
    });
    expect(body.match(/<!-- flowgate:pr issue=\d+ -->/g)).toEqual(['<!-- flowgate:pr issue=7 -->']);
    expect(body).not.toMatch(/<!--\s*flowgate:output/);
    expect(body.endsWith('<!-- flowgate:pr issue=7 -->')).toBe(true);
  });

  it('lists at most 50 files and counts the rest', () => {
    const files = Array.from({ length: 53 }, (_, i) => `f${i}.txt`);
    const body = pullBody({ subject: 7, stage: 'implement', summary: '', files, runUrl: 'https://x/run/1' });
    expect(body.startsWith('Made by flowgate for #7: stage `implement` ([run](https://x/run/1)).')).toBe(
      true,
    );
    expect(body).toContain('<details><summary>53 changed files</summary>');
    expect(body).toContain('- `f49.txt`\n- …and 3 more');
    expect(body).not.toContain('f50.txt');
  });
});
