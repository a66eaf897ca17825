import { describe, expect, it } from 'vitest';
import { flowgate } from './run-cli.ts';
import { workspace } from './workspace.ts';

const FEATURE = 'workflows-examples/plan-implement-review-revise.yml';
const FEATURE_SCRIPT = 'workflows-examples/scripts/plan-implement-review-revise.events.yml';

const TINY = `version: 1
name: tiny
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: draft
    provider: writer
    instructions: "Draft a reply to {{ subject.title }}"
    gate: manual
  - id: done
`;

describe('flowgate simulate', () => {
  describe('with a script that reaches completed', () => {
    it('prints every event, then the final status line, and exits 0', async () => {
      const run = await flowgate(['simulate', FEATURE, '--script', FEATURE_SCRIPT]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('[  1] 09:00 @alice adds the label "flowgate:feature"');
      expect(run.stdout).toContain(
        '[  3] 09:02 comment by @alice: /approve\n' +
          '        reply    @alice cannot approve: the author of this issue cannot approve it. Who may approve: anyone with maintain permission.\n',
      );
      expect(lines.at(-1)).toBe(
        'completed: plan -> implement -> review -> revise -> review -> done; 12 events; 1,012 tokens, $0.0023',
      );
    });

    it('prints only the final status line with --quiet', async () => {
      const run = await flowgate(['simulate', FEATURE, '--script', FEATURE_SCRIPT, '--quiet']);
      expect(run).toEqual({
        code: 0,
        stdout:
          'completed: plan -> implement -> review -> revise -> review -> done; 12 events; 1,012 tokens, $0.0023\n',
        stderr: '',
      });
    });

    it('prints the status comment the run leaves on GitHub with --status-comment', async () => {
      const run = await flowgate(['simulate', FEATURE, '--script', FEATURE_SCRIPT, '--status-comment']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^<!-- flowgate:status run=42-feature-[0-9a-f]{8} -->\n### flowgate · feature\n\n✅ \*\*Completed; the issue is closed at 2025-06-09 09:10 UTC unless someone comments before\*\*\n/,
      );
      expect(run.stdout).toMatch(
        /\n<!-- flowgate:state v=1\n\{"v":1,.*\}\nsig=ed25519:[A-Za-z0-9_-]{86}\n-->\n$/,
      );
      expect(run.stdout).not.toContain('[  1]');
    });

    it('finds a bundled example by its name', async () => {
      const run = await flowgate([
        'simulate',
        'plan-implement-review-revise',
        '--script',
        FEATURE_SCRIPT,
        '--quiet',
      ]);
      expect(run.code).toBe(0);
    });
  });

  describe('without a script and without a terminal', () => {
    it('plays the default script: a maintainer approves every gate', async () => {
      const run = await flowgate(['simulate', FEATURE]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('comment by @maintainer: /approve\n');
      expect(run.stdout).toMatch(/review by @maintainer: approved at [0-9a-f]{7}\n/);
    });
  });

  describe('when the run does not complete', () => {
    it('exits 1 and says where the run stopped', async () => {
      const cwd = await workspace({
        'tiny.yml': TINY,
        'events.yml': 'steps:\n  - comment: { by: maintainer, body: "/reject Too long." }\n',
      });
      const run = await flowgate(['simulate', 'tiny.yml', '--script', 'events.yml', '--quiet'], { cwd });
      expect(run).toEqual({
        code: 1,
        stdout:
          'paused at stage "draft": the response of "draft" was rejected by @maintainer: Too long.; the script has no more steps; stages: draft; 3 events; 58 tokens, $0.0007\n',
        stderr: '',
      });
    });

    it('exits 1 with the reason on stderr when only the status comment is printed', async () => {
      const cwd = await workspace({
        'tiny.yml': TINY,
        'events.yml': 'steps:\n  - answer: { stage: draft, fail: "rate limited" }\n',
      });
      const run = await flowgate(['simulate', 'tiny.yml', '--script', 'events.yml', '--status-comment'], {
        cwd,
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('❌ **Failed');
      expect(run.stderr).toBe(
        'failed at stage "draft": stage "draft" failed: rate limited; the script has no more steps; stages: draft; 2 events; 0 tokens, $0.0000\n',
      );
    });
  });

  describe('with a broken script', () => {
    it('prints its errors with file:line:col and exits 1', async () => {
      const cwd = await workspace({ 'tiny.yml': TINY, 'events.yml': 'steps:\n  - aprove: yes\n' });
      const run = await flowgate(['simulate', 'tiny.yml', '--script', 'events.yml'], { cwd });
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'events.yml:2:5: unknown field "aprove" (did you mean "approver"?) (steps[0].aprove)\n> 2 |   - aprove: yes\n    |     ^\n',
      });
    });

    it('exits 2 when the script file does not exist', async () => {
      const run = await flowgate(['simulate', FEATURE, '--script', 'nowhere.yml']);
      expect(run).toEqual({ code: 2, stdout: '', stderr: 'flowgate: no such file: nowhere.yml\n' });
    });
  });

  describe('at a terminal, without a script', () => {
    it('asks at every gate and applies the answers', async () => {
      const cwd = await workspace({ 'tiny.yml': TINY });
      const run = await flowgate(['simulate', 'tiny.yml'], {
        cwd,
        answers: ['frobnicate', 'retry Shorter, please.', 'approve Good.'],
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        'The response of "draft" waits for approval by anyone with write permission.\n' +
          'approve [note], reject <reason>, retry [feedback], a /command, help or quit (Enter approves) > frobnicate\n' +
          '"frobnicate" is not an answer here; help lists them.\n',
      );
      expect(run.stdout).toContain('comment by @maintainer: /retry Shorter, please.\n');
      expect(run.stdout).toContain('comment by @maintainer: /approve Good.\n');
      expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^completed: draft -> done; 5 events; /);
    });

    it('stops with exit 1 when input ends at a gate', async () => {
      const cwd = await workspace({ 'tiny.yml': TINY });
      const run = await flowgate(['simulate', 'tiny.yml'], { cwd, answers: [] });
      expect(run.code).toBe(1);
      expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(
        /^waiting for approval of the response at stage "draft"; stopped at the prompt; stages: draft; 2 events; /,
      );
    });
  });
});
