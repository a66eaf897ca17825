import { describe, expect, it } from 'vitest';
import { parseDocument, type YAMLMap } from 'yaml';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { type ImportParams, importStages } from '../../src/core/import/import-stages.ts';
import { stageReferences } from '../../src/core/import/stage-references.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';

type Options = Partial<Pick<ImportParams, 'onConflict' | 'stages'>>;

async function run(source: string, target: string, options: Options = {}) {
  return importStages({
    source: { name: 'source.yml', text: source },
    target: { name: 'target.yml', text: target },
    onConflict: 'merge',
    ...options,
  });
}

/** Imports and expects success; the text it returns must load. */
async function imported(source: string, target: string, options: Options = {}) {
  const result = await run(source, target, options);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  const reloaded = await loadWorkflow('target.yml', result.text);
  expect(reloaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

async function failed(source: string, target: string, options: Options = {}) {
  const result = await run(source, target, options);
  if (result.ok) throw new Error(`expected the import to fail, got:\n${result.text}`);
  // The files here rely on the default gate; the warning that says so is not what these tests look at.
  return result.diagnostics.filter((d) => d.rule !== 'implicit-approval-gate');
}

const TARGET = `# Team workflow: plan, then review.
version: 1
name: team
providers:
  writer: anthropic/claude-sonnet-4-5   # the main model
stages:
  # The plan comes first.
  - id: plan
    type: entry
    provider: writer
    instructions: Write a plan.
    gate: manual        # a maintainer approves
    next: review
  - id: review
    provider: writer
    instructions: Review the plan.
    next: done
  - id: done
    type: terminal
`;

describe('stageReferences', () => {
  it('finds every stage and provider a stage names, in all the forms the schema accepts', () => {
    const doc = parseDocument(`id: review
next: done
transitions:
  - { to: fix, when: 'attempt < 3' }
  - escalate
replaces: [check, lint]
provider: writer
prompt_gate: ai:judge
gate: { approver: ai:checker }
`);
    const refs = stageReferences(doc.contents as YAMLMap).map((r) => `${r.kind}:${r.prefix}${r.name}`);
    expect(refs).toEqual([
      'stage:review',
      'stage:done',
      'stage:fix',
      'stage:escalate',
      'stage:check',
      'stage:lint',
      'provider:writer',
      'provider:ai:checker',
      'provider:ai:judge',
    ]);
    const single = parseDocument('id: a\nreplaces: old\ngate: manual\n');
    expect(stageReferences(single.contents as YAMLMap).map((r) => r.name)).toEqual(['a', 'old']);
  });
});

describe('importStages', () => {
  describe('stages the target does not have', () => {
    it('appends them at the end of stages and leaves every other line of the target as it was', async () => {
      const source = `version: 1
name: bugs
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5 }
stages:
  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.   # short on purpose
    next: close
  - id: close
    type: terminal
    run: [{ close: not_planned }]
`;
      const result = await imported(source, TARGET);
      expect(result.text).toBe(`${TARGET}  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.   # short on purpose
    next: close
  - id: close
    type: terminal
    run: [{ close: not_planned }]
`);
      expect(result.imported).toEqual([
        { from: 'triage', to: 'triage', action: 'added' },
        { from: 'close', to: 'close', action: 'added' },
      ]);
      expect(result.providers).toEqual([{ from: 'writer', to: 'writer', action: 'reused' }]);
    });
  });

  describe('a stage id the target already has', () => {
    describe('with merge', () => {
      it('overwrites the target stage in its place', async () => {
        const source = `version: 1
name: other
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: plan
    type: entry
    mode: manual
    next: review
  - id: review
    provider: writer
    instructions: Review it twice.
    verdict: true
    transitions:
      - { to: plan, when: 'verdict == "fail" && attempt < 3' }
      - done
  - id: done
    type: terminal
`;
        const result = await imported(source, TARGET, { onConflict: 'merge', stages: ['review'] });
        const before = `  - id: review
    provider: writer
    instructions: Review the plan.
    next: done
`;
        expect(result.text).toBe(
          TARGET.replace(
            before,
            `  - id: review
    provider: writer
    instructions: Review it twice.
    verdict: true
    transitions:
      - { to: plan, when: 'verdict == "fail" && attempt < 3' }
      - done
`,
          ),
        );
        expect(result.imported).toEqual([{ from: 'review', to: 'review', action: 'merged' }]);
      });
    });

    describe('with copy', () => {
      it('imports it as <id>-1 and renames next and object and bare transitions in the imported stages', async () => {
        const source = `version: 1
name: other
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: start
    type: entry
    provider: writer
    instructions: Start.
    next: review
  - id: review
    provider: writer
    instructions: Review it twice.
    verdict: true
    replaces: check
    transitions:
      - { to: start, when: 'verdict == "fail" && attempt < 3' }
      - { to: review, when: 'attempt < 2' }
      - done
  - id: done
    type: terminal
`;
        const result = await imported(source, TARGET, { onConflict: 'copy' });
        expect(result.text).toBe(`${TARGET}  - id: start
    type: entry
    provider: writer
    instructions: Start.
    next: review-1
  - id: review-1
    provider: writer
    instructions: Review it twice.
    verdict: true
    replaces: check
    transitions:
      - { to: start, when: 'verdict == "fail" && attempt < 3' }
      - { to: review-1, when: 'attempt < 2' }
      - done-1
  - id: done-1
    type: terminal
`);
        expect(result.imported).toEqual([
          { from: 'start', to: 'start', action: 'added' },
          { from: 'review', to: 'review-1', action: 'copied' },
          { from: 'done', to: 'done-1', action: 'copied' },
        ]);
      });

      it('renames bare transitions written as a flow list too', async () => {
        const source = `version: 1
name: other
stages:
  - id: plan
    type: entry
    mode: manual
    transitions: [review]
  - id: review
    mode: manual
    next: done
  - id: done
    type: terminal
`;
        const result = await imported(source, TARGET, { onConflict: 'copy' });
        expect(result.text.slice(TARGET.length)).toBe(`  - id: plan-1
    type: entry
    mode: manual
    transitions: [review-1]
  - id: review-1
    mode: manual
    next: done-1
  - id: done-1
    type: terminal
`);
      });

      it('skips suffixes the target or another imported stage already uses', async () => {
        const target = TARGET.replace(
          '    next: done\n',
          '    next: review-1\n  - id: review-1\n    mode: manual\n    next: done\n',
        );
        const crowded = `version: 1
name: other
stages:
  - id: review
    type: entry
    mode: manual
    next: review-2
  - id: review-2
    type: terminal
`;
        const result = await imported(crowded, target, { onConflict: 'copy' });
        expect(result.imported).toEqual([
          { from: 'review', to: 'review-3', action: 'copied' },
          { from: 'review-2', to: 'review-2', action: 'added' },
        ]);
      });

      it('rewrites outputs.<id> of renamed stages in instructions and conditions', async () => {
        const reading = `version: 1
name: other
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: plan
    type: entry
    provider: writer
    instructions: Draft a plan.
    next: check
  - id: check
    provider: writer
    instructions: |
      Check this plan: {{ outputs.plan }}
      Not this: {{ outputs.planning }}
    transitions:
      - { to: done, when: 'outputs["plan"] != ""' }
      - plan
  - id: done
    type: terminal
`;
        const result = await imported(reading, TARGET, { onConflict: 'copy' });
        expect(result.text.slice(TARGET.length)).toBe(`  - id: plan-1
    type: entry
    provider: writer
    instructions: Draft a plan.
    next: check
  - id: check
    provider: writer
    instructions: |
      Check this plan: {{ outputs["plan-1"] }}
      Not this: {{ outputs.planning }}
    transitions:
      - { to: done-1, when: 'outputs["plan-1"] != ""' }
      - plan-1
  - id: done-1
    type: terminal
`);
      });
    });
  });

  describe('providers', () => {
    const source = `version: 1
name: other
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5 }   # same as the target's
  checker: openai/gpt-5-mini
  unused: google/gemini-2.5-pro
stages:
  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.
    prompt_gate: ai:checker
    gate: { approver: ai:checker, max_retries: 2 }
    next: done
  - id: done
    type: terminal
`;

    it('adds the providers the imported stages use, reuses identical ones and leaves unused ones out', async () => {
      const result = await imported(source, TARGET, { stages: ['triage'] });
      expect(result.providers).toEqual([
        { from: 'writer', to: 'writer', action: 'reused' },
        { from: 'checker', to: 'checker', action: 'added' },
      ]);
      expect(result.text).toContain(`providers:
  writer: anthropic/claude-sonnet-4-5   # the main model
  checker: openai/gpt-5-mini
stages:
`);
      expect(result.text).not.toContain('unused');
    });

    it('imports a different provider of the same name as <name>-1 and renames its uses, ai: approvers included', async () => {
      const target = TARGET.replace(
        '  writer: anthropic',
        '  checker: anthropic/claude-haiku-4-5\n  writer: anthropic',
      );
      const result = await imported(source, target, { stages: ['triage'] });
      expect(result.providers).toEqual([
        { from: 'writer', to: 'writer', action: 'reused' },
        { from: 'checker', to: 'checker-1', action: 'renamed' },
      ]);
      expect(result.text).toContain(
        '  writer: anthropic/claude-sonnet-4-5   # the main model\n  checker-1: openai/gpt-5-mini\n',
      );
      expect(
        result.text.slice(target.length + '  checker-1: openai/gpt-5-mini\n'.length),
      ).toBe(`  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.
    prompt_gate: ai:checker-1
    gate: { approver: ai:checker-1, max_retries: 2 }
    next: done
`);
    });

    it('reuses <name>-1 when the target already holds the same definition under it', async () => {
      const target = TARGET.replace(
        '  writer: anthropic',
        '  checker: anthropic/claude-haiku-4-5\n  checker-1: { use: openai, model: gpt-5-mini }\n  writer: anthropic',
      );
      const result = await imported(source, target, { stages: ['triage'] });
      expect(result.providers).toContainEqual({ from: 'checker', to: 'checker-1', action: 'reused' });
      expect(result.text).toContain('prompt_gate: ai:checker-1');
    });

    it('writes the source defaults.provider on an imported stage that relied on it', async () => {
      const relying = `version: 1
name: other
providers:
  fast: openai/gpt-5-mini
defaults:
  provider: fast
stages:
  - id: triage
    type: entry
    instructions: Sort the issue.
    next: done
  - id: done
    type: terminal
`;
      const result = await imported(relying, TARGET, { stages: ['triage'] });
      expect(result.text.slice(result.text.indexOf('  - id: triage'))).toBe(`  - id: triage
    provider: fast
    type: entry
    instructions: Sort the issue.
    next: done
`);
      expect(result.providers).toEqual([{ from: 'fast', to: 'fast', action: 'added' }]);
    });

    it('creates a providers mapping above stages (and the comments over it) when the target has none', async () => {
      const target = `version: 1
name: team
# Everything a person does.
stages:
  - id: ask
    mode: manual
  - id: done
`;
      const relying = `version: 1
name: other
providers:
  fast: openai/gpt-5-mini
stages:
  - id: triage
    type: entry
    provider: fast
    instructions: Sort the issue.
    next: done
  - id: done
    type: terminal
`;
      const result = await imported(relying, target, { stages: ['triage'] });
      expect(result.text).toBe(`version: 1
name: team
providers:
  fast: openai/gpt-5-mini
# Everything a person does.
stages:
  - id: ask
    type: entry
    mode: manual
  - id: done
    type: terminal
  - id: triage
    type: entry
    provider: fast
    instructions: Sort the issue.
    next: done
`);
    });
  });

  describe('the source default gate', () => {
    it('is written on a stage without a gate when the target default gate differs, with its ai: provider', async () => {
      const source = `version: 1
name: other
providers:
  writer: anthropic/claude-sonnet-4-5
  judge: openai/gpt-5
defaults:
  gate: { approver: ai:judge, max_retries: 1 }
stages:
  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.
    next: done
  - id: done
    type: terminal
`;
      const result = await imported(source, TARGET);
      expect(result.providers).toContainEqual({ from: 'judge', to: 'judge', action: 'added' });
      expect(result.text.slice(result.text.indexOf('  - id: triage'))).toBe(`  - id: triage
    gate:
      approver: ai:judge
      max_retries: 1
    type: entry
    provider: writer
    instructions: Sort the issue.
    next: done
`);
    });
  });

  describe('the stages option', () => {
    const source = `version: 1
name: other
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.
    next: fix
  - id: fix
    provider: writer
    instructions: Fix it.
    next: done
  - id: done
    type: terminal
`;

    it('imports only the stages it lists, in source order', async () => {
      const result = await imported(source, TARGET, { stages: ['fix', 'triage'] });
      expect(result.imported.map((s) => s.from)).toEqual(['triage', 'fix']);
      expect(result.text).toBe(`${TARGET}  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.
    next: fix
  - id: fix
    provider: writer
    instructions: Fix it.
    next: done
`);
    });

    it('refuses a name that is not a stage of the source, suggesting the nearest', async () => {
      const diagnostics = await failed(source, TARGET, { stages: ['triag'] });
      expect(diagnostics.map(formatDiagnostic)).toEqual([
        'source.yml:5:1: cannot import "triag": it is not a stage of this workflow (did you mean "triage"?) (stages)\n> 5 | stages:\n    | ^',
      ]);
    });
  });

  describe('stage order from file position', () => {
    it('writes out the type and next that file order gave, so moved stages keep their meaning', async () => {
      const target = `version: 1
name: team
stages:
  - id: ask
    mode: manual
  - id: done
`;
      const source = `version: 1
name: other
stages:
  - id: intake
    mode: manual
  - id: ask
    mode: manual
  - id: done
`;
      const result = await imported(source, target, { stages: ['intake'] });
      // Without them, done would stop being terminal and go on to intake, which would lead nowhere and no longer
      // be an entry, and ask would no longer be an entry either.
      expect(result.text).toBe(`version: 1
name: team
stages:
  - id: ask
    type: entry
    mode: manual
  - id: done
    type: terminal
  - id: intake
    type: entry
    mode: manual
    next: ask
`);
    });
  });

  describe('formatting', () => {
    it("keeps the target's comments and column-aligned layout around a merged stage", async () => {
      const target = `version: 1
name: team
mode: interactive                 # people approve
providers:
  writer:  { use: anthropic, model: claude-sonnet-4-5 }
stages:
  - id: plan
    type: entry                   # entry | work | terminal
    provider: writer
    instructions: |               # a Liquid template
      Plan {{ subject.title }}.
    gate:                         # gate on the response
      approver: manual
    next: review
  # The review step, replaced by the import.
  - id: review
    mode: manual
    next: done
  - id: done
    type: terminal
    archive: { after_days: 7 }    # close a week later
`;
      const source = `version: 1
name: other
stages:
  - id: review
    type: entry
    mode: manual   # someone reads it
    gate: { approver: manual, min_approvals: 2 }
    next: done
  - id: done
    type: terminal
`;
      const result = await imported(source, target, { stages: ['review'] });
      expect(result.text).toBe(
        target.replace(
          '  - id: review\n    mode: manual\n',
          '  - id: review\n    type: entry\n    mode: manual   # someone reads it\n    gate: { approver: manual, min_approvals: 2 }\n',
        ),
      );
    });

    it('prints the whole Document when the target writes its stages in flow style', async () => {
      const target = `version: 1
name: team
stages: [{ id: ask, type: entry, mode: manual, next: done }, { id: done, type: terminal }]
`;
      const source = `version: 1
name: other
stages:
  - id: intake
    type: entry
    mode: manual
    next: done
  - id: done
    type: terminal
`;
      const result = await imported(source, target, { stages: ['intake'] });
      expect(result.text).toBe(`version: 1
name: team
stages: [ { id: ask, type: entry, mode: manual, next: done }, { id: done, type: terminal }, { id: intake, type: entry, mode: manual, next: done } ]
`);
    });

    it('imports a source stage built with anchors and aliases as plain YAML', async () => {
      const source = `version: 1
name: other
stages:
  - id: intake
    type: entry
    mode: manual
    gate: &human { approver: manual, min_approvals: 2 }
    next: ok
  - id: ok
    mode: manual
    gate: *human
    next: done
  - id: done
    type: terminal
`;
      const result = await imported(source, TARGET, { stages: ['intake', 'ok'] });
      expect(result.text).not.toContain('*human');
      expect(result.text).not.toContain('&human');
      const reloaded = await loadWorkflow('target.yml', result.text);
      expect(reloaded.workflow?.stages.find((s) => s.id === 'ok')?.gate.min_approvals).toBe(2);
    });
  });

  describe('when the result would not be valid', () => {
    it('returns the loader diagnostics of the result instead of its text', async () => {
      const source = `version: 1
name: other
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: triage
    type: entry
    provider: writer
    instructions: Sort the issue.
    next: fix
  - id: fix
    provider: writer
    instructions: Fix it.
    next: done
  - id: done
    type: terminal
`;
      const diagnostics = await failed(source, TARGET, { stages: ['fix'] });
      expect(diagnostics.map((d) => [d.file, d.rule, d.message])).toEqual([
        ['target.yml', 'unreachable-stage', 'stage "fix" cannot be reached from an entry stage'],
      ]);
      expect(diagnostics[0]?.sourceLine).toBe('  - id: fix');
    });
  });

  describe('when an input does not load', () => {
    it('returns the diagnostics of a broken source', async () => {
      const source = `version: 1
name: other
stages:
  - id: triage
    type: entry
    mode: manul
    next: done
  - id: done
    type: terminal
`;
      const diagnostics = await failed(source, TARGET);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({
        file: 'source.yml',
        line: 6,
        path: 'stages[0].mode',
        severity: 'error',
      });
      expect(diagnostics[0]?.message).toContain('did you mean "manual"?');
    });

    it('returns the diagnostics of a broken target', async () => {
      const source = `version: 1
name: other
stages:
  - id: ask
    type: entry
    mode: manual
    next: done
  - id: done
    type: terminal
`;
      const diagnostics = await failed(source, TARGET.replace('next: done', 'next: dne'));
      expect(diagnostics.map((d) => [d.file, d.rule])).toEqual([['target.yml', 'unknown-stage']]);
    });
  });
});
