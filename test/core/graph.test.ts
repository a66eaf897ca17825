import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowToMermaid, workflowToMermaidMarkdown } from '../../src/core/graph.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';

async function load(text: string) {
  const { workflow, diagnostics } = await loadWorkflow('test.yml', text);
  if (workflow === undefined) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return workflow;
}

describe('workflowToMermaid', () => {
  it('draws entry, work, agent, system and terminal stages apart, with gates and conditions on the edges', async () => {
    const text = readFileSync('workflows-examples/plan-implement-review-revise.yml', 'utf8');
    expect(workflowToMermaid(await load(text))).toMatchInlineSnapshot(`
      "flowchart TD
        s0(["plan"])
        s1[["implement"]]
        s2["review"]
        s3[["revise"]]
        s4{{"escalate"}}
        s5((("done")))
        s0 -- "gate: manual" --> s1
        s1 -- "gate: review" --> s2
        s2 -- "verdict == #quot;pass#quot;" --> s5
        s2 -- "verdict == #quot;fail#quot; && attempt #lt; 3" --> s3
        s2 --> s4
        s3 --> s2
        s4 --> s5
        classDef entry fill:#dbeafe,stroke:#1d4ed8
        classDef terminal fill:#dcfce7,stroke:#15803d
        classDef done fill:#f3f4f6,stroke:#9ca3af,color:#6b7280
        classDef current fill:#fef3c7,stroke:#b45309,stroke-width:3px
        class s0 entry
        class s5 terminal"
    `);
  });

  it('highlights the current stage and mutes the stages already done', async () => {
    const text = readFileSync('workflows-examples/plan-implement-review-revise.yml', 'utf8');
    const graph = workflowToMermaid(await load(text), { current: 'review', done: ['plan', 'implement'] });
    expect(graph.split('\n').slice(-2)).toEqual(['  class s0,s1 done', '  class s2 current']);
  });

  it('labels manual stages, display names, words-conditions and multi-approver gates', async () => {
    const workflow = await load(`version: 1
name: words
providers: { w: anthropic/claude-sonnet-4-5 }
stages:
  - id: intake
    name: "Intake <triage>"
    mode: manual
    gate: { approver: manual, min_approvals: 2 }
  - id: decide
    provider: w
    instructions: "Decide"
    gate: skip
    transitions:
      - { to: done, when_ai: 'the "fix" is obvious' }
      - done
  - id: done
`);
    const graph = workflowToMermaid(workflow);
    expect(graph).toContain('s0(["Intake #lt;triage#gt; (intake)"])');
    expect(graph).toContain('s0 -- "gate: manual x2" --> s1');
    expect(graph).toContain('s1 -- "AI: the #quot;fix#quot; is obvious" --> s2');
  });

  it('fences the graph for Markdown', async () => {
    const workflow = await load('version: 1\nname: t\nstages:\n  - { id: a, mode: manual }\n  - id: b\n');
    expect(workflowToMermaidMarkdown(workflow)).toMatch(/^```mermaid\nflowchart TD\n[\s\S]*\n```$/);
  });
});
