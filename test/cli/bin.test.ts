import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('bin/flowgate.js run as a process', () => {
  it('prints help naming every command', async () => {
    const { stdout } = await run(process.execPath, ['bin/flowgate.js', '--help']);
    for (const command of ['validate', 'lint', 'graph', 'schema', 'import', 'simulate', 'demo']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('runs the demo to the end with exit code 0, ending with a whole simulated run, gates included', async () => {
    const { stdout } = await run(process.execPath, ['bin/flowgate.js', 'demo']);
    expect(stdout).toContain('ok  plan-implement-review-revise.yml');
    expect(stdout).toContain('flowchart TD');
    expect(stdout).toContain('cannot approve: the author of this issue cannot approve it');
    expect(stdout).toMatch(/review by @carol: approved at [0-9a-f]{7}/);
    expect(stdout).toContain(
      '\ncompleted: plan -> implement -> review -> revise -> review -> done; 12 events; ',
    );
  });

  it('exits 1 with the errors of a broken workflow', async () => {
    const failure = await run(process.execPath, [
      'bin/flowgate.js',
      'validate',
      'test/fixtures/broken',
    ]).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failure && failure.code).toBe(1);
    expect(failure.stdout).toMatch(/^test\/fixtures\/broken\/[\w-]+\.yml:\d+:\d+: /m);
  });
});
