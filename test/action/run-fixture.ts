import { expect } from 'vitest';
import type { ActionOutputDraft, TextOutputFields } from '../../src/core/action-output.ts';
import { formatActionOutput, formatActionOutputParts } from '../../src/core/action-output.ts';
import type { EngineEvent } from '../../src/core/engine/events.ts';
import { startRun, step } from '../../src/core/engine/step.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import type { Workflow } from '../../src/core/workflow.ts';
import type { IssueComment } from '../../src/github/types.ts';

export const STARTED = '2026-01-05T09:00:00.000Z';

/**
 * A workflow file text, loaded as the Action loads it: any finding fails the test, except the warning that a stage
 * relies on the default gate (these files' gates are what the tests say, written or not).
 */
export async function workflowOf(text: string): Promise<Workflow> {
  const { workflow, diagnostics } = await loadWorkflow('.github/flowgate/flow.yml', text);
  const findings = diagnostics.filter((d) => d.rule !== 'implicit-approval-gate');
  expect(findings.map((d) => d.message)).toEqual([]);
  if (workflow === undefined) throw new Error('no workflow');
  return workflow;
}

/** A run driven by the real engine: started on issue #7, then fed `events` in order. */
export function runOf(
  workflow: Workflow,
  events: EngineEvent[] = [],
  kind: 'issue' | 'pull_request' = 'issue',
): RunState {
  let { state } = startRun(
    workflow,
    {
      id: 'start',
      type: 'run.started',
      by: 'bob',
      run_id: 'r-7',
      workflow_sha: 'f'.repeat(40),
      subject: {
        kind,
        number: 7,
        author: 'alice',
        title: 'Add a --dry-run flag',
        labels: ['flowgate:feature'],
      },
    },
    { now: STARTED, nonce: 'n1' },
  );
  let minute = 1;
  for (const event of events) {
    const result = step(workflow, state, event, {
      now: new Date(Date.parse(STARTED) + minute++ * 60_000).toISOString(),
      nonce: `n${minute}`,
    });
    expect(result.changed).toBe(true);
    state = result.state;
  }
  return state;
}

/** An issue comment as flowgate reads it. */
export function comment(id: number, body: string, options: Partial<IssueComment> = {}): IssueComment {
  return {
    id,
    body,
    login: 'carol',
    isBot: false,
    createdAt: STARTED,
    updatedAt: STARTED,
    url: `https://github.com/acme/widgets/issues/7#issuecomment-${id}`,
    ...options,
  };
}

/** An output comment of the Action, by github-actions[bot]. */
export function outputComment(id: number, output: ActionOutputDraft, visible: string): IssueComment {
  return comment(id, formatActionOutput(output, visible), {
    login: 'github-actions[bot]',
    isBot: true,
    createdAt: '2026-01-05T09:30:00.000Z',
    updatedAt: '2026-01-05T09:30:00.000Z',
  });
}

/** The output comments of a long text, ids from `firstId`. */
export function partComments(
  firstId: number,
  output: TextOutputFields,
  text: string,
  maxChars: number,
): IssueComment[] {
  return formatActionOutputParts(output, text, maxChars).map((body, i) =>
    comment(firstId + i, body, { login: 'github-actions[bot]', isBot: true }),
  );
}
