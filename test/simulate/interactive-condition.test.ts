import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { interactiveOnGitHub } from '../../src/simulate/interactive-on-github.ts';

const PATH = 'test/fixtures/condition-wait.yml';

describe('flowgate simulate at the keyboard, a run waiting for a transition condition', () => {
  it('asks with the conditions, and a label typed in moves the run on', async () => {
    const text = readFileSync(PATH, 'utf8');
    const { workflow } = await loadWorkflow(PATH, text);
    if (workflow === undefined) throw new Error('the fixture does not load');
    const questions: string[] = [];
    const said: string[] = [];
    const answers = ['label', 'label ready'];
    const result = await interactiveOnGitHub(
      workflow,
      { path: PATH, text },
      {
        ask: async (question) => {
          questions.push(question);
          return answers.shift();
        },
        show: () => {},
        say: (line) => said.push(line),
      },
    );
    expect(questions[0]).toBe(
      'Stage "plan" waits for a transition condition: "ready" in labels && !("blocked" in labels) (to build) or "wontfix" in labels (to done).\nlabel <name>, unlabel <name>, a /command, wait <duration>, help or quit > ',
    );
    expect(said).toEqual(['label needs a label name: label <name>']);
    expect(result.entries.map((e) => e.event)).toContain('@maintainer adds the label "ready"');
    expect(result.outcome.kind).toBe('completed');
  });
});
