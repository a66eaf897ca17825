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
          '> 8 |     gate: manul',
          '    |           ^',
          'flows/bad.yml:10:5: unknown field "nxt" (did you mean "next"?) (stages[1].nxt)',
          '> 10 |     nxt: x',
          '     |     ^',
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
defaults: { gate: skip }
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

  describe('in a repository whose workflow has a sweep', () => {
    const SWEEP = `version: 1
name: nightly
on: { schedule: { cron: "0 3 * * *" } }
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: draft
    provider: writer
    instructions: "Draft {{ subject.title }}"
  - id: done
`;
    const actions = (cron: string) => `on:
  schedule:
    - cron: "${cron}"
jobs:
  sweep:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/flowgate/action@${'0'.repeat(40)} # v0.1.0
`;

    it('fails when no Actions schedule has its cron line, naming both lines', async () => {
      const cwd = await workspace({
        '.github/flowgate/nightly.yml': SWEEP,
        '.github/workflows/flowgate-sweep.yml': actions('0 2 * * *'),
      });
      const run = await flowgate(['validate'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        '.github/flowgate/nightly.yml:3:25: the sweep\'s cron line "0 3 * * *" matches no schedule of the Actions workflows that run the flowgate Action, so it never fires; they have .github/workflows/flowgate-sweep.yml:3:13: cron: "0 2 * * *" (on.schedule.cron[0])\n',
      );
    });

    it('passes when one has it', async () => {
      const cwd = await workspace({
        '.github/flowgate/nightly.yml': SWEEP,
        '.github/workflows/flowgate-sweep.yml': actions('0 3 * * *'),
      });
      expect((await flowgate(['validate'], { cwd })).code).toBe(0);
    });

    it('fails when no Actions workflow runs the flowgate Action on a schedule', async () => {
      const cwd = await workspace({ '.github/flowgate/nightly.yml': SWEEP });
      const run = await flowgate(['validate'], { cwd });
      expect(run.stdout).toContain('no Actions workflow that runs the flowgate Action has an on.schedule');
    });
  });

  describe('with a cron line GitHub cannot run', () => {
    it('says which field is out of range', async () => {
      const cwd = await workspace({
        'w.yml': `version: 1
name: nightly
on: { schedule: { cron: "99 25 * * 8" } }
stages:
  - id: draft
    instructions: "Draft"
  - id: done
`,
      });
      const run = await flowgate(['validate', 'w.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        '"99 25 * * 8" is not a cron line GitHub Actions can run: Invalid value for minute: 99',
      );
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
