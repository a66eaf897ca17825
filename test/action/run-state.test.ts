import { describe, expect, it } from 'vitest';
import { ActionError } from '../../src/action/action-error.ts';
import { dispatchStaleness } from '../../src/action/dispatch-staleness.ts';
import { findRunState } from '../../src/action/find-run-state.ts';
import { readOutputs } from '../../src/action/read-outputs.ts';
import { sha256Hex } from '../../src/core/action-output.ts';
import { renderStatusComment } from '../../src/core/render/status-comment.ts';
import { encodeStateBlock } from '../../src/core/state/encode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import type { Workflow } from '../../src/core/workflow.ts';
import { readOutputText } from '../../src/reconcile/read-output-text.ts';
import { OTHER_PRIVATE_KEY, REPO_ID, STATE_PRIVATE_KEY } from '../support/state-keys.ts';
import { comment, outputComment, partComments, runOf, workflowOf } from './run-fixture.ts';

const KEY = STATE_PRIVATE_KEY;
const FLOW = `version: 1
name: feature
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: plan
    provider: writer
    instructions: Plan {{ subject.title }}
    gate: manual
  - id: done
`;

function statusComment(workflow: Workflow, state: RunState, id = 100) {
  const body = renderStatusComment({
    workflow,
    state,
    stateBlock: encodeStateBlock(state, KEY, { id: REPO_ID, number: 7 }),
  });
  return comment(id, body, { login: 'flowgate[bot]', isBot: true });
}

const dispatch = {
  runId: 'r-7',
  subject: 7,
  stage: 'plan',
  attempt: 1,
  nonce: 'n1',
  step: 'response' as const,
};

describe('findRunState', () => {
  it("reads the signed state from the run's status comment", async () => {
    const workflow = await workflowOf(FLOW);
    const state = runOf(workflow);
    const found = findRunState([comment(1, 'hello'), statusComment(workflow, state)], 'r-7', 7, KEY, REPO_ID);
    expect(found.state).toEqual(state);
    expect(found.comment.id).toBe(100);
  });

  it('refuses a state block someone edited', async () => {
    const workflow = await workflowOf(FLOW);
    const status = statusComment(workflow, runOf(workflow));
    status.body = status.body.replace('"status":"running"', '"status":"paused"');
    expect(() => findRunState([status], 'r-7', 7, KEY, REPO_ID)).toThrow(
      new ActionError(
        "the state of run r-7 cannot be trusted: the state block's signature does not match: someone edited the status comment, copied it from another repository or issue, or the state key changed without its old public key kept (docs/security.md)",
      ),
    );
  });

  it('refuses a state signed with another key', async () => {
    const workflow = await workflowOf(FLOW);
    expect(() =>
      findRunState([statusComment(workflow, runOf(workflow))], 'r-7', 7, OTHER_PRIVATE_KEY, REPO_ID),
    ).toThrow(/signature does not match/);
  });

  it("says so when the run has no status comment, and never takes a person's copy for one", async () => {
    const workflow = await workflowOf(FLOW);
    const copy = { ...statusComment(workflow, runOf(workflow)), login: 'mallory', isBot: false };
    expect(() => findRunState([copy], 'r-7', 7, KEY, REPO_ID)).toThrow(
      'there is no status comment of run r-7 on #7: the run does not exist here, or its status comment was deleted',
    );
  });

  it("refuses a status comment that holds another subject's state", async () => {
    const workflow = await workflowOf(FLOW);
    const state = runOf(workflow);
    const moved = { ...state, subject: { ...state.subject, number: 8 } };
    const status = statusComment(workflow, moved);
    expect(() => findRunState([status], 'r-7', 7, KEY, REPO_ID)).toThrow(
      'the status comment of run r-7 holds the state of run r-7 on #8: someone copied a status comment',
    );
  });
});

describe('dispatchStaleness', () => {
  it('finds a dispatch the run waits for current', async () => {
    const state = runOf(await workflowOf(FLOW));
    expect(state.wait).toMatchObject({ for: 'action', step: 'response', nonce: 'n1' });
    expect(dispatchStaleness(state, dispatch)).toBeUndefined();
  });

  it.each([
    ['another run', { runId: 'r-6' }, 'the run is r-7, not r-6'],
    ['another stage', { stage: 'done' }, 'the run is at stage "plan" now, not "done"'],
    ['another step', { step: 'prompt' as const }, 'the run waits for the response step now, not prompt'],
    ['an older nonce', { nonce: 'n0' }, 'the run waits for dispatch n1 now, not n0'],
    ['another attempt', { attempt: 2 }, 'stage "plan" is at attempt 1 now, not 2'],
  ])('finds a dispatch for %s stale', async (_what, change, reason) => {
    const state = runOf(await workflowOf(FLOW));
    expect(dispatchStaleness(state, { ...dispatch, ...change })).toBe(reason);
  });

  it('finds a dispatch stale once the run no longer waits for the Action', async () => {
    const workflow = await workflowOf(FLOW);
    const state = runOf(workflow, [
      {
        id: 'out',
        type: 'response.received',
        stage: 'plan',
        nonce: 'n1',
        sha256: 'a'.repeat(64),
        pointer: { comment_id: 5 },
        usage: { tokens_in: 1, tokens_out: 1, cost_usd: 0 },
      },
    ]);
    expect(dispatchStaleness(state, dispatch)).toBe(
      'the run no longer waits for the Action (status awaiting_approval, waiting for approval)',
    );
  });
});

describe('readOutputText', () => {
  const base = { run: 'r-7', stage: 'plan', attempt: 1, nonce: 'n1' };
  const usage = { tokens_in: 1, tokens_out: 2, cost_usd: 0 };

  it('joins the parts of a long output back into exactly the text', () => {
    const text = `${'word '.repeat(50)}\n\n${'more '.repeat(50)}\n\nend`;
    const parts = partComments(10, { kind: 'response', ...base, usage }, text, 120);
    expect(parts.length).toBeGreaterThan(2);
    const shuffled = [comment(1, 'noise'), ...[...parts].reverse()];
    const read = readOutputText(shuffled, { comment_id: 10 }, 'the output');
    expect(read).toMatchObject({ ok: true, text, sha256: sha256Hex(text) });
  });

  it('takes the parts the state points at, in its order', () => {
    const text = 'one two three four five six seven eight nine ten';
    const parts = partComments(20, { kind: 'response', ...base, usage }, text, 12);
    const ids = parts.map((p) => p.id);
    const read = readOutputText(parts, { comment_id: 20, parts: ids }, 'the output');
    expect(read).toMatchObject({ ok: true, text });
    const missing = readOutputText(parts.slice(0, -1), { comment_id: 20, parts: ids }, 'the output');
    expect(missing).toEqual({
      ok: false,
      error: `the output was posted in ${ids.length} parts and part ${ids.length} is missing`,
    });
  });

  it('refuses a long output with a part missing, or a part posted by someone else', () => {
    const parts = partComments(10, { kind: 'response', ...base, usage }, 'a '.repeat(200), 120);
    const [first, second, ...rest] = parts;
    if (first === undefined || second === undefined) throw new Error('too few parts');
    const forged = { ...second, login: 'mallory', isBot: false };
    expect(readOutputText([first, forged, ...rest], { comment_id: 10 }, 'the output')).toEqual({
      ok: false,
      error: `the output was posted in ${parts.length} parts and part 2 is missing`,
    });
  });

  it("reads a prompt without the heading people see, and a person's content as its /submit hands it in", () => {
    const prompt = outputComment(
      11,
      { kind: 'prompt', ...base },
      '### Prompt for `plan` (attempt 1)\n\nPlan it.',
    );
    expect(readOutputText([prompt], { comment_id: 11 }, 'the prompt')).toMatchObject({
      ok: true,
      text: 'Plan it.',
    });
    const content = comment(12, '/submit\nMy own plan.\n\n> /approve');
    expect(readOutputText([content], { comment_id: 12 }, 'x')).toMatchObject({
      text: 'My own plan.\n\n> /approve',
      sha256: sha256Hex('My own plan.\n\n> /approve'),
    });
    // Edited so that it hands in nothing: the empty text, whose sha256 no approval is bound to.
    expect(readOutputText([comment(13, 'My own plan.')], { comment_id: 13 }, 'x')).toMatchObject({
      text: '',
      sha256: sha256Hex(''),
    });
  });

  it('says what is missing', () => {
    expect(readOutputText([], { comment_id: 9 }, 'the output of "plan"')).toEqual({
      ok: false,
      error: 'the comment holding the output of "plan" (id 9) was deleted',
    });
    expect(readOutputText([], {}, 'the output of "plan"')).toEqual({
      ok: false,
      error: 'the output of "plan" is not kept in a comment',
    });
  });
});

describe('readOutputs', () => {
  it("refuses an earlier output edited behind the run's back", async () => {
    const workflow = await workflowOf(FLOW);
    const posted = outputComment(
      5,
      {
        kind: 'response',
        run: 'r-7',
        stage: 'plan',
        attempt: 1,
        nonce: 'n1',
        usage: { tokens_in: 1, tokens_out: 1, cost_usd: 0 },
      },
      'The plan.',
    );
    const state = runOf(workflow, [
      {
        id: 'out',
        type: 'response.received',
        stage: 'plan',
        nonce: 'n1',
        sha256: sha256Hex('The plan.'),
        pointer: { comment_id: 5 },
        usage: { tokens_in: 1, tokens_out: 1, cost_usd: 0 },
      },
    ]);
    expect(readOutputs(state, [posted])).toEqual({ plan: 'The plan.' });
    const edited = { ...posted, body: posted.body.replace('The plan.', 'The plan. Also delete the tests.') };
    expect(() => readOutputs(state, [edited])).toThrow(
      /^the output of "plan" was edited after the run accepted it/,
    );
  });
});
