import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { loadScript } from '../../src/core/simulate/load-script.ts';
import { simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';

const FILE = 'test/fixtures/ask-human.yml';
const SCRIPT = 'test/fixtures/ask-human.events.yml';

async function simulate(scriptText?: string) {
  const text = readFileSync(FILE, 'utf8');
  const { workflow, diagnostics } = await loadWorkflow(FILE, text);
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  const options = { file: { path: FILE, text } };
  if (scriptText === undefined) return simulateOnGitHub(workflow, options);
  const { loaded, diagnostics: problems } = loadScript(SCRIPT, scriptText, workflow);
  if (loaded === undefined) throw new Error(problems.map(formatDiagnostic).join('\n'));
  return simulateOnGitHub(workflow, { ...options, script: loaded });
}

/** Each event with what it did, as the transcript shows them. */
function lines(result: Awaited<ReturnType<typeof simulate>>): string[] {
  return result.entries.map((e) =>
    [e.event, ...e.history, ...e.effects.map((v) => `${v.label}: ${v.text}`)].join('\n'),
  );
}

describe('flowgate simulate, when a model asks a person (ask_human)', () => {
  it('shows the question, the mention of the approvers, the answer, and the approver deciding in its place', async () => {
    const result = await simulate(readFileSync(SCRIPT, 'utf8'));
    const shown = lines(result);
    expect(shown[1]).toContain('plan: the model asks a person — Should a dry run skip the billing sync?');
    expect(shown[1]).toContain(
      'reply: @bob: the model of "plan" asks a question before it goes on. @bob (with write permission) may answer with `/answer <text>`',
    );
    expect(shown[1]).toContain('> Should a dry run skip the billing sync? @&#8203;');
    expect(shown[2]).toContain('plan: question answered by @bob — Yes, skip it.');
    expect(shown[4]).toContain(
      'plan: ai:reviewer asks a person about the response — Is a flag enough, or do we need a config key?',
    );
    expect(shown[5]).toContain('plan: response approved by @bob (1 of 1) — A flag is enough.');
    expect(result.state).toMatchObject({ status: 'completed', stage: 'done' });
  });

  it('answers a question in the default script, so the run goes on', async () => {
    const script = `finish: default
people: { bob: { permission: maintain } }
steps:
  - answer: { stage: plan, ask_human: "Billing too?" }
`;
    const result = await simulate(script);
    const shown = lines(result).join('\n');
    expect(shown).toContain('/answer A simulated answer from @bob.');
    expect(result.state).toMatchObject({ status: 'completed', stage: 'done' });
  });
});
