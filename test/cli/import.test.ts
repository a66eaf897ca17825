import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowgate } from './run-cli.ts';
import { workspace } from './workspace.ts';

const TARGET = `# Our feature workflow
version: 1
name: feature
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: triage
    provider: writer
    instructions: "Triage {{ subject.title }}"
    gate: manual
    next: done
  - id: done
    type: terminal
`;

const SOURCE = `version: 1
name: bugs
providers:
  checker: { use: openai, model: gpt-5-mini }
stages:
  - id: triage
    type: entry
    provider: checker
    instructions: "Classify {{ subject.title }}"
    next: done
  - id: done
    type: terminal
`;

const both = () => workspace({ 'feature.yml': TARGET, 'bugs.yml': SOURCE });

describe('flowgate import', () => {
  describe('with --on-conflict copy', () => {
    it('imports a clashing stage under a new id, says so, and writes a target that validates', async () => {
      const cwd = await both();
      const run = await flowgate(['import', 'bugs.yml', 'feature.yml', '--on-conflict', 'copy'], { cwd });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('stage "triage": copied as "triage-1" (copy)');
      expect(run.stderr).toContain('provider "checker": added');
      const written = await readFile(join(cwd, 'feature.yml'), 'utf8');
      expect(written.startsWith('# Our feature workflow\n')).toBe(true);
      expect(written).toContain('id: triage-1');
      const check = await flowgate(['validate', 'feature.yml'], { cwd });
      expect(check.code).toBe(0);
    });
  });

  describe('with --on-conflict merge and --dry-run', () => {
    it('prints the target with the stage overwritten and leaves the file alone', async () => {
      const cwd = await both();
      const run = await flowgate(
        ['import', 'bugs.yml', 'feature.yml', '--on-conflict', 'merge', '--dry-run'],
        { cwd },
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Classify {{ subject.title }}');
      expect(run.stdout).not.toContain('Triage {{ subject.title }}');
      expect(await readFile(join(cwd, 'feature.yml'), 'utf8')).toBe(TARGET);
    });
  });

  describe('when the source is broken', () => {
    it('shows its errors and leaves the target unchanged', async () => {
      const cwd = await both();
      await writeFile(join(cwd, 'bugs.yml'), SOURCE.replace('next: done', 'next: dnoe'));
      const run = await flowgate(['import', 'bugs.yml', 'feature.yml'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'bugs.yml:10:11: next stage "dnoe" is not a stage of this workflow (did you mean "done"?)',
      );
      expect(run.stderr).toContain('flowgate: nothing imported; feature.yml is unchanged');
      expect(await readFile(join(cwd, 'feature.yml'), 'utf8')).toBe(TARGET);
    });
  });

  it('refuses an unknown conflict mode', async () => {
    const run = await flowgate(['import', 'a.yml', 'b.yml', '--on-conflict', 'replace']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'replace' is invalid. Allowed choices are merge, copy.");
  });
});
