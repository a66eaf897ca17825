import { describe, expect, it } from 'vitest';
import { ownersOf } from '../../src/github/codeowners-rules.ts';

// The examples of GitHub's "About code owners" page, in its order.
const GITHUB_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer.
*.go docs@example.com

# Teams can be specified as code owners as well.
*.txt @octo-org/octocats

/build/logs/ @doctocat

# The \`docs/*\` pattern will match files like
# \`docs/getting-started.md\` but not further nested files like
# \`docs/build-app/troubleshooting.md\`.
docs/*  docs@example.com

apps/ @octocat

/docs/ @doctocat

/scripts/ @doctocat @octocat

**/logs @octocat

/apps/ @octocat
/apps/github
`;

describe('ownersOf', () => {
  it.each([
    ['README.md', ['@global-owner1', '@global-owner2']],
    ['src/index.js', ['@js-owner']],
    ['main.go', ['docs@example.com']],
    ['notes/todo.txt', ['@octo-org/octocats']],
    ['build/x.log', ['@global-owner1', '@global-owner2']],
    // `/build/logs/ @doctocat` matches, but the later `**/logs @octocat` wins.
    ['build/logs/today/out.log', ['@octocat']],
    ['src/build/logs/x.c', ['@octocat']],
    ['docs/getting-started.md', ['@doctocat']],
    ['docs/build-app/troubleshooting.md', ['@doctocat']],
    ['lib/apps/main.c', ['@octocat']],
    ['scripts/deploy.sh', ['@doctocat', '@octocat']],
    ['deeply/nested/logs/a.txt', ['@octocat']],
    ['apps/web/index.html', ['@octocat']],
    ['apps/github/index.html', []],
    ['apps/github', []],
  ])('%s is owned by %j', (path, owners) => {
    expect(ownersOf(GITHUB_EXAMPLE, path)).toEqual(owners);
  });

  describe('rule precedence', () => {
    it('takes the last matching rule, not the most specific one', () => {
      const text = '/src/core/ @core-team\n*.ts @ts-owner\n';
      expect(ownersOf(text, 'src/core/engine.ts')).toEqual(['@ts-owner']);
      expect(ownersOf(text, 'src/core/README.md')).toEqual(['@core-team']);
    });

    it('lets a later rule without owners take ownership away', () => {
      expect(ownersOf('* @all\n/vendor/\n', 'vendor/lib.js')).toEqual([]);
    });

    it('is empty when no rule matches', () => {
      expect(ownersOf('/src/ @dev\n', 'docs/a.md')).toEqual([]);
    });
  });

  describe('patterns', () => {
    it('matches only the direct children of dir/*', () => {
      const text = '* @all\nconfig/* @ops\n';
      expect(ownersOf(text, 'config/app.yml')).toEqual(['@ops']);
      expect(ownersOf(text, 'config/env/prod.yml')).toEqual(['@all']);
      // A slash inside the pattern anchors it at the root, as in gitignore.
      expect(ownersOf(text, 'src/config/app.yml')).toEqual(['@all']);
    });

    it('anchors a leading slash at the root', () => {
      const text = '/Makefile @build\n';
      expect(ownersOf(text, 'Makefile')).toEqual(['@build']);
      expect(ownersOf(text, 'sub/Makefile')).toEqual([]);
    });

    it('is case sensitive, as GitHub is', () => {
      expect(ownersOf('/Docs/ @writer\n', 'docs/a.md')).toEqual([]);
      expect(ownersOf('/Docs/ @writer\n', 'Docs/a.md')).toEqual(['@writer']);
    });

    it('matches across directories with **', () => {
      const text = 'src/**/test/ @qa\n';
      expect(ownersOf(text, 'src/test/a.ts')).toEqual(['@qa']);
      expect(ownersOf(text, 'src/a/b/test/c.ts')).toEqual(['@qa']);
      expect(ownersOf(text, 'lib/test/c.ts')).toEqual([]);
    });

    it('reads \\# as a literal # and skips unsupported ! negations', () => {
      const text = '\\#notes.md @hash\n* @all\n!secret.txt @nobody\n';
      expect(ownersOf('\\#notes.md @hash\n', '#notes.md')).toEqual(['@hash']);
      expect(ownersOf(text, 'secret.txt')).toEqual(['@all']);
    });

    it('accepts CRLF line ends and a leading slash in the path', () => {
      expect(ownersOf('* @all\r\n/ci/ @ops\r\n', '/ci/run.sh')).toEqual(['@ops']);
    });
  });
});
