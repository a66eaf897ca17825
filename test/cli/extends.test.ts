import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { flowgate } from './run-cli.ts';
import { workspace } from './workspace.ts';

const BASE = `version: 1
name: base
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: plan
    provider: writer
    instructions: "Plan {{ subject.title }}"
    gate: manual
  - id: done
`;

/** The contents API's answer for a file, as GitHub sends it. */
function contentsAnswer(path: string, text: string) {
  return {
    type: 'file',
    encoding: 'base64',
    size: text.length,
    name: path.split('/').at(-1),
    path,
    content: Buffer.from(text).toString('base64'),
    sha: '3d21ec53a331a6f037a91c368710b99387d012c1',
    url: `https://api.github.com/repos/acme/workflows/contents/${path}?ref=v1`,
    git_url: null,
    html_url: null,
    download_url: null,
    _links: { self: '', git: null, html: null },
  };
}

describe('extends', () => {
  describe('a relative path', () => {
    it('is read next to the extending file and merged', async () => {
      const cwd = await workspace({
        '.github/flowgate/shared/base.yml': BASE,
        '.github/flowgate/feature.yml': 'extends: shared/base.yml\nname: feature\n',
      });
      const run = await flowgate(['graph', '.github/flowgate/feature.yml'], { cwd });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('s0 -- "gate: manual" --> s1');
    });

    it('reports a missing base file at the extends line', async () => {
      const cwd = await workspace({ 'feature.yml': 'version: 1\nextends: nope.yml\nname: feature\n' });
      const run = await flowgate(['validate', 'feature.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')[0]).toBe(
        'feature.yml:2:10: cannot read "nope.yml": no such file: nope.yml (extends)',
      );
    });

    it('reports an error in the base file at the base file position', async () => {
      const cwd = await workspace({
        'base.yml': BASE.replace('gate: manual', 'gate: manul'),
        'feature.yml': 'extends: base.yml\nname: feature\n',
      });
      const run = await flowgate(['validate', 'feature.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')[0]).toMatch(
        /^base\.yml:9:11: must be skip, manual, review or ai:<provider>/,
      );
    });
  });

  describe('owner/repo/path@ref', () => {
    it('is read through the contents API with the token, at the ref', async () => {
      const scope = nock('https://api.github.com', { reqheaders: { authorization: 'token t0ken' } })
        .get('/repos/acme/workflows/contents/flowgate%2Fbase.yml')
        .query({ ref: 'v1' })
        .reply(200, contentsAnswer('flowgate/base.yml', BASE));
      const cwd = await workspace({
        'feature.yml': 'extends: acme/workflows/flowgate/base.yml@v1\nname: feature\n',
      });
      const run = await flowgate(['validate', 'feature.yml'], { cwd, env: { GITHUB_TOKEN: 't0ken' } });
      expect(run.stdout).toBe('1 workflow file checked: valid (0 errors, 0 warnings)\n');
      expect(run.code).toBe(0);
      scope.done();
    });

    it('explains a 404 (missing, or private without a token)', async () => {
      const scope = nock('https://api.github.com')
        .get('/repos/acme/private/contents/base.yml')
        .query({ ref: 'main' })
        .reply(404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        });
      const cwd = await workspace({ 'feature.yml': 'extends: acme/private/base.yml@main\nname: feature\n' });
      const run = await flowgate(['validate', 'feature.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')[0]).toContain(
        'feature.yml:1:10: cannot read "acme/private/base.yml@main": Not Found',
      );
      expect(run.stdout.split('\n')[0]).toContain('(not found, or private: set GITHUB_TOKEN)');
      scope.done();
    });
  });
});
