import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { isCodeOwner } from '../../src/github/is-code-owner.ts';
import { API, ISSUE, NOT_FOUND, nextLink, octokit } from './github-fixtures.ts';

const FILES = '/repos/acme/widgets/pulls/7/files';

/** The contents API's answer for a file. */
function fileAnswer(path: string, text: string) {
  const sha = '3d21ec53a331a6f037a91c368710b99387d012c1';
  return {
    type: 'file',
    encoding: 'base64',
    size: text.length,
    name: path.split('/').at(-1),
    path,
    content: Buffer.from(text).toString('base64'),
    sha,
    url: `${API}/repos/acme/widgets/contents/${path}?ref=main`,
    git_url: `${API}/repos/acme/widgets/git/blobs/${sha}`,
    html_url: `https://github.com/acme/widgets/blob/main/${path}`,
    download_url: `https://raw.githubusercontent.com/acme/widgets/main/${path}`,
    _links: {
      self: `${API}/repos/acme/widgets/contents/${path}?ref=main`,
      git: `${API}/repos/acme/widgets/git/blobs/${sha}`,
      html: `https://github.com/acme/widgets/blob/main/${path}`,
    },
  };
}

/** A `diff-entry` of the pull request files API. */
function diffEntry(filename: string, previous?: string) {
  return {
    sha: 'bbcd538c8e72b8c175046e27cc8f907076331401',
    filename,
    status: previous === undefined ? 'modified' : 'renamed',
    additions: 1,
    deletions: 1,
    changes: 2,
    blob_url: `https://github.com/acme/widgets/blob/abc/${filename}`,
    raw_url: `https://github.com/acme/widgets/raw/abc/${filename}`,
    contents_url: `${API}/repos/acme/widgets/contents/${filename}?ref=abc`,
    patch: '@@ -1 +1 @@\n-a\n+b',
    ...(previous === undefined ? {} : { previous_filename: previous }),
  };
}

const CODEOWNERS = '* @acme/everyone\n/src/ @mona\n/src/vendor/\n/infra/ @acme/ops\n';

function codeownersAtRoot() {
  return nock(API)
    .get('/repos/acme/widgets/contents/.github%2FCODEOWNERS')
    .query({ ref: 'main' })
    .reply(404, NOT_FOUND)
    .get('/repos/acme/widgets/contents/CODEOWNERS')
    .query({ ref: 'main' })
    .reply(200, fileAnswer('CODEOWNERS', CODEOWNERS));
}

describe('isCodeOwner', () => {
  it('is true when the user owns one changed file, found on a later page', async () => {
    const files = codeownersAtRoot()
      .get(FILES)
      .query({ per_page: '100' })
      .reply(
        200,
        Array.from({ length: 100 }, (_, i) => diffEntry(`docs/page-${i}.md`)),
        nextLink(`${FILES}?per_page=100`, 2, 2),
      )
      .get(FILES)
      .query({ per_page: '100', page: '2' })
      .reply(200, [diffEntry('src/app.ts')]);

    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'Mona', [])).toBe(true);
    expect(files.isDone()).toBe(true);
  });

  it('is false when a later ownerless rule takes the file away from the user', async () => {
    const scope = codeownersAtRoot()
      .get(FILES)
      .query(true)
      .reply(200, [diffEntry('src/vendor/lib.js'), diffEntry('README.md')])
      // README.md's owner is a team: mona is asked about, and is no member.
      .get('/orgs/acme/teams/everyone/memberships/mona')
      .reply(404, NOT_FOUND);
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'mona', [])).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('is true for a member of an owning team', async () => {
    const scope = codeownersAtRoot()
      .get(FILES)
      .query(true)
      .reply(200, [diffEntry('infra/main.tf')]);
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'hubot', ['acme/ops'])).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('counts the old path of a renamed file', async () => {
    const scope = codeownersAtRoot()
      .get(FILES)
      .query(true)
      .reply(200, [diffEntry('lib/app.ts', 'src/app.ts')]);
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'mona', [])).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('uses .github/CODEOWNERS first and does not look further', async () => {
    const scope = nock(API)
      .get('/repos/acme/widgets/contents/.github%2FCODEOWNERS')
      .query({ ref: 'release' })
      .reply(200, fileAnswer('.github/CODEOWNERS', '* @mona\n'))
      .get(FILES)
      .query(true)
      .reply(200, [diffEntry('x.c')]);
    expect(await isCodeOwner(octokit(), ISSUE, 'release', 'mona', [])).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('does not list the files when CODEOWNERS names neither the user, nor the teams, nor any team', async () => {
    const scope = nock(API)
      .get('/repos/acme/widgets/contents/.github%2FCODEOWNERS')
      .query({ ref: 'main' })
      .reply(200, fileAnswer('.github/CODEOWNERS', '/src/ @mona\n'));
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'stranger', ['acme/design'])).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('is true for a member of a team CODEOWNERS names for a changed file, though the gate names no team', async () => {
    const scope = codeownersAtRoot()
      .get(FILES)
      .query(true)
      .reply(200, [diffEntry('infra/main.tf')])
      .get('/orgs/acme/teams/ops/memberships/hubot')
      .reply(200, { state: 'active', role: 'member', url: '' });
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'hubot', [])).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('is false for someone in no team that owns a changed file', async () => {
    const scope = codeownersAtRoot()
      .get(FILES)
      .query(true)
      .reply(200, [diffEntry('infra/main.tf')])
      .get('/orgs/acme/teams/ops/memberships/stranger')
      .reply(404, NOT_FOUND);
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'stranger', [])).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('is false without a CODEOWNERS file, after looking in the three places', async () => {
    const scope = nock(API)
      .get('/repos/acme/widgets/contents/.github%2FCODEOWNERS')
      .query(true)
      .reply(404, NOT_FOUND)
      .get('/repos/acme/widgets/contents/CODEOWNERS')
      .query(true)
      .reply(404, NOT_FOUND)
      .get('/repos/acme/widgets/contents/docs%2FCODEOWNERS')
      .query(true)
      .reply(404, NOT_FOUND);
    expect(await isCodeOwner(octokit(), ISSUE, 'main', 'mona', [])).toBe(false);
    expect(scope.isDone()).toBe(true);
  });
});
