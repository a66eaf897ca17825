import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { listWorkflowDirectory, type WorkflowListing } from '../../src/github/list-workflow-directory.ts';
import { readWorkflowFiles } from '../../src/github/read-workflow-files.ts';
import { API, NOT_FOUND, octokit, REPO } from './github-fixtures.ts';

const DIRECTORY = '/repos/acme/widgets/contents/.github%2Fflowgate';
const FEATURE = 'version: 1\nname: feature\n';
const BUGFIX = 'version: 1\nname: bugfix\n';
const SHA = {
  feature: 'a'.repeat(40),
  bugfix: 'b'.repeat(40),
  readme: 'c'.repeat(40),
  shared: 'd'.repeat(40),
};

/** One entry of the contents API's directory listing. */
function entry(name: string, sha: string, type: 'file' | 'dir' = 'file') {
  const path = `.github/flowgate/${name}`;
  return {
    type,
    size: type === 'file' ? 30 : 0,
    name,
    path,
    sha,
    url: `${API}/repos/acme/widgets/contents/${path}?ref=main`,
    git_url: `${API}/repos/acme/widgets/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`,
    html_url: `https://github.com/acme/widgets/${type === 'file' ? 'blob' : 'tree'}/main/${path}`,
    download_url: type === 'file' ? `https://raw.githubusercontent.com/acme/widgets/main/${path}` : null,
    _links: {
      self: `${API}/repos/acme/widgets/contents/${path}?ref=main`,
      git: `${API}/repos/acme/widgets/git/blobs/${sha}`,
      html: `https://github.com/acme/widgets/blob/main/${path}`,
    },
  };
}

/** The git blobs API's answer. */
function blob(sha: string, text: string) {
  return {
    content: `${Buffer.from(text)
      .toString('base64')
      .replace(/(.{60})/g, '$1\n')}\n`,
    encoding: 'base64',
    url: `${API}/repos/acme/widgets/git/blobs/${sha}`,
    sha,
    size: text.length,
    node_id: `B_${sha.slice(0, 8)}`,
  };
}

const LISTING = [
  entry('feature.yml', SHA.feature),
  entry('README.md', SHA.readme),
  entry('bugfix.YAML', SHA.bugfix),
  entry('shared', SHA.shared, 'dir'),
];

describe('readWorkflowFiles', () => {
  it('reads the YAML files of .github/flowgate by blob, sorted by path', async () => {
    const scope = nock(API)
      .get(DIRECTORY)
      .query({ ref: 'main' })
      .reply(200, LISTING)
      .get(`/repos/acme/widgets/git/blobs/${SHA.feature}`)
      .reply(200, blob(SHA.feature, FEATURE))
      .get(`/repos/acme/widgets/git/blobs/${SHA.bugfix}`)
      .reply(200, blob(SHA.bugfix, BUGFIX));
    const cache = new Map<string, string>();

    const files = await readWorkflowFiles(octokit(), REPO, 'main', cache);

    expect(scope.isDone()).toBe(true);
    expect(files).toEqual([
      { path: '.github/flowgate/bugfix.YAML', sha: SHA.bugfix, text: BUGFIX },
      { path: '.github/flowgate/feature.yml', sha: SHA.feature, text: FEATURE },
    ]);
    expect(cache).toEqual(
      new Map([
        [SHA.feature, FEATURE],
        [SHA.bugfix, BUGFIX],
      ]),
    );
  });

  it('does not fetch a blob whose sha is cached', async () => {
    const scope = nock(API)
      .get(DIRECTORY)
      .query(true)
      .reply(200, LISTING)
      .get(`/repos/acme/widgets/git/blobs/${SHA.bugfix}`)
      .reply(200, blob(SHA.bugfix, BUGFIX));
    const cache = new Map([[SHA.feature, FEATURE]]);

    const files = await readWorkflowFiles(octokit(), REPO, 'main', cache);

    expect(scope.isDone()).toBe(true);
    expect(files.map((file) => file.text)).toEqual([BUGFIX, FEATURE]);

    // A second read of the same ref costs only the listing.
    const again = nock(API).get(DIRECTORY).query(true).reply(200, LISTING);
    expect(await readWorkflowFiles(octokit(), REPO, 'main', cache)).toEqual(files);
    expect(again.isDone()).toBe(true);
  });

  it('is empty when the repository has no .github/flowgate (404)', async () => {
    const scope = nock(API).get(DIRECTORY).query({ ref: 'feature/x' }).reply(404, NOT_FOUND);
    expect(await readWorkflowFiles(octokit(), REPO, 'feature/x', new Map())).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});

describe('listWorkflowDirectory', () => {
  const ETAG = 'W/"5f1b4c"';

  it('asks again with the ETag it was given, and takes a 304 as the listing it knows', async () => {
    const listings = new Map<string, WorkflowListing>();
    const first = nock(API).get(DIRECTORY).query({ ref: 'main' }).reply(200, LISTING, { ETag: ETAG });
    const entries = await listWorkflowDirectory(octokit(), REPO, 'main', listings);
    expect(first.isDone()).toBe(true);
    expect(entries).toEqual([
      { path: '.github/flowgate/bugfix.YAML', sha: SHA.bugfix },
      { path: '.github/flowgate/feature.yml', sha: SHA.feature },
    ]);

    const unchanged = nock(API, { reqheaders: { 'if-none-match': ETAG } })
      .get(DIRECTORY)
      .query({ ref: 'main' })
      .reply(304, '');
    expect(await listWorkflowDirectory(octokit(), REPO, 'main', listings)).toEqual(entries);
    expect(unchanged.isDone()).toBe(true);
  });

  it('takes the new listing, and its ETag, when the directory changed', async () => {
    const listings = new Map<string, WorkflowListing>([
      [
        'acme/widgets@main',
        { etag: ETAG, entries: [{ path: '.github/flowgate/feature.yml', sha: SHA.feature }] },
      ],
    ]);
    const changed = nock(API, { reqheaders: { 'if-none-match': ETAG } })
      .get(DIRECTORY)
      .query({ ref: 'main' })
      .reply(200, [entry('feature.yml', SHA.shared)], { ETag: 'W/"new"' });
    expect(await listWorkflowDirectory(octokit(), REPO, 'main', listings)).toEqual([
      { path: '.github/flowgate/feature.yml', sha: SHA.shared },
    ]);
    expect(changed.isDone()).toBe(true);
    expect(listings.get('acme/widgets@main')?.etag).toBe('W/"new"');
  });

  it('asks without a condition when no listing is kept', async () => {
    const plain = nock(API, { badheaders: ['if-none-match'] })
      .get(DIRECTORY)
      .query(true)
      .reply(200, LISTING, { ETag: ETAG });
    await listWorkflowDirectory(octokit(), REPO, 'main');
    expect(plain.isDone()).toBe(true);
  });
});
