import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ReleaseFiles, releaseProblems } from '../../scripts/release-problems.ts';

const SHA = 'b'.repeat(40);
const pkg = {
  name: 'flowgate',
  version: '1.2.0',
  license: 'MIT',
  engines: { node: '>=20' },
  files: ['dist/cli/'],
  bin: { flowgate: 'bin/flowgate.js' },
  exports: { './package.json': './package.json' },
  repository: { type: 'git', url: 'git+https://github.com/acme/flowgate.git' },
  flowgateAction: { repository: 'acme/flowgate', commit: SHA, version: 'v1.1.0' },
};
const good: ReleaseFiles = {
  packageJson: JSON.stringify(pkg),
  changelog: '# Changelog\n\n## [Unreleased]\n\n## [1.2.0]\n\n## [1.1.0]\n',
  license: true,
  security: true,
  examples: { 'flowgate.yml': `steps:\n  - uses: acme/flowgate/action@${SHA} # v1.1.0\n` },
  docs: { 'README.md': '      - uses: <owner>/flowgate/action@<full commit sha> # <version>\n' },
};

describe('the release checks', () => {
  it('find nothing in this repository', () => {
    const read = (path: string) => readFileSync(path, 'utf8');
    expect(
      releaseProblems({
        ...good,
        packageJson: read('package.json'),
        changelog: read('CHANGELOG.md'),
        examples: {},
        docs: {},
      }),
    ).toEqual([]);
  });

  it('find nothing in a tree that is ready', () => {
    expect(releaseProblems(good)).toEqual([]);
  });

  describe('with an example that references the Action by a tag', () => {
    it('name the file, the reference and the pinned one', () => {
      const examples = { 'flowgate.yml': '      - uses: acme/flowgate/action@v1\n' };
      expect(releaseProblems({ ...good, examples })).toEqual([
        `flowgate.yml: uses acme/flowgate/action@v1; the release pins acme/flowgate/action@${SHA} # v1.1.0 (package.json flowgateAction)`,
      ]);
    });
  });

  describe('with a doc that references an owner we do not control', () => {
    it('asks for the placeholder', () => {
      const docs = { 'docs/app.md': '      - uses: flowgate/flowgate/action@v1\n' };
      expect(releaseProblems({ ...good, docs })).toEqual([
        `docs/app.md: uses flowgate/flowgate/action@v1; write <owner>/flowgate/action@<full commit sha> # <version>, or the pinned acme/flowgate/action@${SHA} # v1.1.0`,
      ]);
    });
  });

  describe('with a version the changelog does not mention, and the package private', () => {
    it('says both', () => {
      const packageJson = JSON.stringify({ ...pkg, version: '1.3.0', private: true });
      expect(releaseProblems({ ...good, packageJson })).toEqual([
        'package.json: "private" keeps npm from publishing it',
        'CHANGELOG.md: no "## [1.3.0]" section',
      ]);
    });
  });

  describe('with a pinned commit that is not a full sha', () => {
    it('says so', () => {
      const packageJson = JSON.stringify({
        ...pkg,
        flowgateAction: { ...pkg.flowgateAction, commit: 'b'.repeat(7) },
      });
      expect(releaseProblems({ ...good, packageJson })).toContain(
        'package.json: flowgateAction.commit is not a full 40-character commit sha',
      );
    });
  });
});
