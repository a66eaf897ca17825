import { describe, expect, it } from 'vitest';
import { flowgate } from './run-cli.ts';
import { workspace } from './workspace.ts';

const VALID = `version: 1
name: tiny
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: draft
    provider: writer
    instructions: "Draft a reply to {{ subject.title }}"
    gate: manual
  - id: done
`;

describe('flowgate validate', () => {
  describe('on the bundled examples', () => {
    it('passes every one of them and exits 0', async () => {
      const run = await flowgate(['validate', 'workflows-examples']);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^\d+ workflow files checked: valid \(0 errors, 0 warnings\)\n$/);
      expect(run.code).toBe(0);
    });
  });

  describe('without paths', () => {
    it('checks .github/flowgate/ in the current directory', async () => {
      const cwd = await workspace({
        '.github/flowgate/tiny.yml': VALID,
        '.github/flowgate/notes.txt': 'not yaml',
      });
      const run = await flowgate(['validate'], { cwd });
      expect(run).toEqual({
        code: 0,
        stdout: '1 workflow file checked: valid (0 errors, 0 warnings)\n',
        stderr: '',
      });
    });

    it('explains what to pass when there is no .github/flowgate/', async () => {
      const cwd = await workspace({});
      const run = await flowgate(['validate'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'flowgate: no .github/flowgate/ directory here; name workflow files or directories, e.g. flowgate validate workflows-examples\n',
      );
    });
  });

  describe('on a file with errors', () => {
    const broken = VALID.replace('gate: manual', 'gate: manul').replace(
      '- id: done',
      '- id: done\n    nxt: x',
    );

    it('prints each error with file:line:col, the source line and a caret, and exits 1', async () => {
      const cwd = await workspace({ 'flows/bad.yml': broken });
      const run = await flowgate(['validate', 'flows/bad.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(
        [
          'flows/bad.yml:8:11: must be skip, manual, review or ai:<provider>, not "manul" (did you mean "manual"?) (stages[0].gate)',
          '      gate: manul',
          '            ^',
          'flows/bad.yml:10:5: unknown field "nxt" (did you mean "next"?) (stages[1].nxt)',
          '      nxt: x',
          '      ^',
          '1 workflow file checked: 1 failed (2 errors, 0 warnings)',
          '',
        ].join('\n'),
      );
    });

    it('prints GitHub annotations with --format github', async () => {
      const cwd = await workspace({ 'bad.yml': broken });
      const run = await flowgate(['validate', '--format', 'github', 'bad.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')[0]).toBe(
        '::error file=bad.yml,line=8,col=11,title=flowgate schema::must be skip, manual, review or ai:<provider>, not "manul" (did you mean "manual"?) (stages[0].gate)',
      );
    });
  });

  describe('on a file with only warnings', () => {
    const loop = `version: 1
name: loop
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: write
    provider: writer
    instructions: "Write"
    next: check
  - id: check
    provider: writer
    instructions: "Check"
    verdict: true
    transitions:
      - { to: write, when: 'verdict == "fail"' }
      - done
  - id: done
    type: terminal
`;

    const warning =
      'loop.yml:5:5: warning: the loop write -> check has no bound: add a condition on attempt or retries, a human gate, or max_retries (stages[0])';

    it('passes validate, showing the warning', async () => {
      const cwd = await workspace({ 'loop.yml': loop });
      const run = await flowgate(['validate', 'loop.yml'], { cwd });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(warning);
      expect(run.stdout).toContain('1 workflow file checked: valid (0 errors, 1 warning)');
    });

    it('fails lint and validate --strict, where warnings count as errors', async () => {
      const cwd = await workspace({ 'loop.yml': loop });
      for (const args of [
        ['lint', 'loop.yml'],
        ['validate', '--strict', 'loop.yml'],
      ]) {
        const run = await flowgate(args, { cwd });
        expect(run.code).toBe(1);
        expect(run.stdout).toContain('1 workflow file checked: 1 failed (0 errors, 1 warning)');
      }
    });
  });

  describe('with wrong usage', () => {
    it('refuses an unknown format', async () => {
      const run = await flowgate(['validate', '--format', 'xml', 'workflows-examples']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        "option '--format <format>' argument 'xml' is invalid. Allowed choices are text, github.",
      );
    });

    it('names a path that does not exist', async () => {
      const run = await flowgate(['validate', 'no/such/file.yml']);
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: 'flowgate: no such file or directory: no/such/file.yml\n',
      });
    });
  });
});
