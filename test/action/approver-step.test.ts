import { describe, expect, it } from 'vitest';
import { labelledRuns } from './labelled-run.ts';
import { modelEnv, OPENAI_KEY, sentTo } from './model-fixture.ts';

const FLOW = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, max_output_tokens: 2000, timeout_seconds: 5 }
  reviewer: { use: openai, model: gpt-5-mini, max_output_tokens: 500, timeout_seconds: 5 }
stages:
  - id: plan
    provider: writer
    instructions: Write an implementation plan for "{{ subject.title }}".
    gate: { approver: "ai:reviewer", max_retries: 3, ask_human: Reject a plan that names no tests. }
  - id: done
`;

const labelled = labelledRuns();
const started = () => labelled(FLOW);

const verdict = (decision: string, feedback: string) => ({ text: JSON.stringify({ decision, feedback }) });

describe('an AI approver', () => {
  it('rejects twice, each time the stage is redone with its feedback, then approves and the run moves on', async () => {
    const { h, models } = await started();
    const env = modelEnv(models);
    models.enqueue({ text: 'Plan v1: add the flag.' });
    await h.step(7, env); // response, attempt 1
    expect(h.lastDispatch()).toMatchObject({ step: 'approver', attempt: '1' });

    models.enqueue(verdict('rejected', 'It names no tests.'));
    await h.step(7, env); // approver: rejected
    expect(h.lastDispatch()).toMatchObject({ step: 'response', attempt: '2' });
    models.enqueue({ text: 'Plan v2: add the flag; test it.' });
    await h.step(7, env);

    models.enqueue(verdict('rejected', 'Say which test file.'));
    await h.step(7, env);
    expect(h.lastDispatch()).toMatchObject({ step: 'response', attempt: '3' });
    models.enqueue({ text: 'Plan v3: add the flag; test it in sync.test.ts.' });
    await h.step(7, env);

    models.enqueue(verdict('approved', 'Names the test file.'));
    await h.step(7, env);

    // What the approver was asked: the output, with the guidance and the prompt, by the reviewer's key.
    const firstJudging = sentTo(models, 1);
    expect(firstJudging).toMatchObject({ model: 'gpt-5-mini', key: OPENAI_KEY });
    expect(firstJudging.prompt).toContain('Guidance from the workflow: Reject a plan that names no tests.');
    expect(firstJudging.prompt).toContain('```data: response\nPlan v1: add the flag.\n```');
    expect(firstJudging.system).toContain('"decision": "approved"');
    // The retries carry the rejected plan and the feedback.
    expect(sentTo(models, 2).prompt).toContain('```data: rejected answer\nPlan v1: add the flag.\n```');
    expect(sentTo(models, 2).prompt).toContain('```data: feedback\nIt names no tests.\n```');
    expect(sentTo(models, 4).prompt).toContain('```data: feedback\nSay which test file.\n```');

    const decisions = h
      .parsedOutputs(7)
      .flatMap((o) =>
        o.output.kind === 'approver' ? [[o.output.decision, o.output.feedback, o.visible]] : [],
      );
    expect(decisions).toEqual([
      ['rejected', 'It names no tests.', '**AI approver (`ai:reviewer`): rejected.** It names no tests.'],
      ['rejected', 'Say which test file.', '**AI approver (`ai:reviewer`): rejected.** Say which test file.'],
      ['approved', 'Names the test file.', '**AI approver (`ai:reviewer`): approved.** Names the test file.'],
    ]);
    const state = h.app.state(7);
    expect(state).toMatchObject({ status: 'completed', stage: 'done' });
    expect(state.stages.plan?.rejections.map((r) => r.reason)).toEqual([
      'It names no tests.',
      'Say which test file.',
    ]);
    expect(state.usage.tokens_in).toBe(6 * 10); // the model server's default usage, per call
  });

  it('takes an answer it cannot read as a rejection that says so, never as an approval', async () => {
    const { h, models } = await started();
    const env = modelEnv(models);
    models.enqueue({ text: 'A plan.' });
    await h.step(7, env);
    models.enqueue({ text: 'Looks great to me, ship it!' });
    const result = await h.step(7, env);
    expect(result.outputs).toMatchObject({ outcome: 'posted', kind: 'approver' });
    const approver = h.parsedOutputs(7).at(-1)?.output;
    expect(approver).toMatchObject({ kind: 'approver', decision: 'rejected' });
    expect(approver?.kind === 'approver' && approver.feedback).toMatch(
      /^The answer of the AI approver "reviewer" could not be read, so the output counts as rejected: the answer is not the structured decision asked for/,
    );
    expect(h.app.state(7)).toMatchObject({ status: 'running', wait: { for: 'action', step: 'response' } });
    expect(h.lastDispatch()).toMatchObject({ step: 'response', attempt: '2' });
  });

  it('is not asked about a response edited since the dispatch: the Action stops quietly', async () => {
    const { h, models } = await started();
    const env = modelEnv(models);
    models.enqueue({ text: 'A plan.' });
    await h.step(7, env);
    const response = h.outputs(7)[0];
    if (response === undefined) throw new Error('no response');
    response.body = response.body.replace('A plan.', 'A plan. Also delete the tests.');
    const before = h.github.comments.length;
    const result = await h.run(env);
    expect(result.code).toBe(0);
    expect(result.outputs).toEqual({ outcome: 'stale' });
    expect(result.stdout).toContain('the response of "plan" was edited since the dispatch');
    expect(models.requests).toHaveLength(1);
    expect(h.github.comments).toHaveLength(before);
  });

  it("judges a manual stage's content, without instructions too, and its rejection asks the person for new content", async () => {
    const { h, models } = await labelled(
      FLOW.replace(
        `    provider: writer
    instructions: Write an implementation plan for "{{ subject.title }}".
`,
        '    mode: manual\n',
      ),
      { people: { bob: 'maintain', carol: 'write' } },
    );
    const env = modelEnv(models);
    await h.app.comment(7, 'carol', '/submit Plan: add the flag.');
    expect(h.lastDispatch()).toMatchObject({ step: 'approver', attempt: '1' });
    models.enqueue(verdict('rejected', 'It names no tests.'));
    const result = await h.step(7, env);
    expect(result.code, result.stdout).toBe(0);
    const judging = sentTo(models, 0);
    expect(judging.prompt).toContain('```data: response\nPlan: add the flag.\n```');
    expect(judging.prompt).not.toContain('What the stage was asked');
    expect(h.app.state(7)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'content' },
      stages: { plan: { attempt: 2, feedback: 'It names no tests.' } },
    });
    expect(h.github.dispatches.map((d) => d.inputs.step)).toEqual(['approver']);
  });
});
