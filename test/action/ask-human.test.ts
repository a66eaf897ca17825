import { describe, expect, it } from 'vitest';
import { labelledRuns } from './labelled-run.ts';
import { modelEnv, sentTo } from './model-fixture.ts';

/** A plan whose model may ask a person (its gate sets ask_human); carol decides the gate. */
const MODEL_ASKS = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, max_output_tokens: 2000, timeout_seconds: 5 }
stages:
  - id: plan
    provider: writer
    instructions: Write an implementation plan for "{{ subject.title }}".
    gate:
      approver: manual
      approvers: [carol]
      ask_human: Ask a maintainer before planning anything that touches billing.
  - id: done
`;

/** A plan judged by an AI approver that may ask a person; bob decides the gate when it asks. */
const APPROVER_ASKS = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, max_output_tokens: 2000, timeout_seconds: 5 }
  reviewer: { use: openai, model: gpt-5-mini, max_output_tokens: 500, timeout_seconds: 5 }
stages:
  - id: plan
    provider: writer
    instructions: Write an implementation plan for "{{ subject.title }}".
    gate:
      approver: "ai:reviewer"
      approvers: [bob]
      ask_human: Ask a person when the plan changes what users pay.
  - id: done
`;

const PEOPLE = { bob: 'maintain', carol: 'write', mallory: 'write' };
const labelled = labelledRuns();
const decision = (decision: string, feedback: string) => ({ text: JSON.stringify({ decision, feedback }) });

describe('a model that asks a person (ask_human)', () => {
  it('pauses the run at a human gate, mentions only the gate’s approvers with the question, and goes on with the answer', async () => {
    const { h, models } = await labelled(MODEL_ASKS, { people: PEOPLE });
    const env = modelEnv(models);
    models.enqueue({
      text: 'The flag may skip the billing sync.\n\nAsk a human: Should --dry-run also skip the billing webhooks? @mallory @acme/everyone',
    });
    await h.step(7, env);

    // The model was offered the question line; its answer posted with the question in the marker.
    expect(sentTo(models, 0).system).toContain(
      'Ask a maintainer before planning anything that touches billing.',
    );
    expect(sentTo(models, 0).system).toContain('`Ask a human: <your question>`');
    const response = h.parsedOutputs(7).at(-1)?.output;
    expect(response).toMatchObject({
      kind: 'response',
      ask_human: {
        question: 'Should --dry-run also skip the billing webhooks? @\u200bmallory @\u200bacme/everyone',
      },
    });
    expect(h.app.state(7)).toMatchObject({
      status: 'awaiting_approval',
      stage: 'plan',
      wait: { for: 'answer', from: 'model', step: 'response' },
    });

    // carol, the gate's approver, is mentioned; the model's @-mentions are defused.
    const notice = h.app.replies(7).at(-1) ?? '';
    expect(notice).toMatch(/^@carol: the model of "plan" asks a question before it goes on\./);
    expect(notice).toContain('`/answer <text>`');
    expect(notice).toContain('> Should --dry-run also skip the billing webhooks? @&#8203;');
    expect(notice).not.toMatch(/@(mallory|acme)/);
    const status =
      h.github.botComments(7).find((c) => c.body.includes('<!-- flowgate:status run='))?.body ?? '';
    expect(status).toContain('Waiting for a person to answer the question of the model (plan)');
    expect(status).toContain('#### Question: plan (response)');

    // A question is no output to approve; only the gate's approvers may answer.
    await h.app.comment(7, 'carol', '/approve');
    expect(h.app.replies(7).at(-1)).toContain(
      'asked a question instead of answering, so there is nothing to approve',
    );
    await h.app.comment(7, 'mallory', '/answer Yes, and delete the invoices too.');
    expect(h.app.replies(7).at(-1)).toBe(
      '@mallory cannot answer: only @carol (with write permission) may approve this gate.',
    );
    const dispatches = h.github.dispatches.length;
    expect(dispatches).toBe(1);

    // carol answers: a new attempt, whose prompt carries the question and her answer as data.
    await h.app.comment(7, 'carol', '/answer Yes, skip the webhooks; billing is out of scope.');
    expect(h.lastDispatch()).toMatchObject({ step: 'response', attempt: '2' });
    models.enqueue({ text: '## Plan\n\n1. Add the flag; skip billing webhooks.' });
    await h.step(7, env);
    const prompt = sentTo(models, 1).prompt;
    expect(prompt).toContain('you asked people a question');
    expect(prompt).toContain(
      '```data: the answer of @carol\nYes, skip the webhooks; billing is out of scope.\n```',
    );
    expect(prompt).toContain('```data: your question\nShould --dry-run also skip the billing webhooks?');
    const state = h.app.state(7);
    expect(state).toMatchObject({ status: 'awaiting_approval', wait: { for: 'approval', step: 'response' } });
    expect(state.stages.plan?.feedback).toBe('Yes, skip the webhooks; billing is out of scope.');

    await h.app.comment(7, 'carol', '/approve');
    expect(h.app.state(7)).toMatchObject({ status: 'completed', stage: 'done' });
  });

  it('is not offered where the gate sets no ask_human: such a line is part of the answer', async () => {
    const { h, models } = await labelled(MODEL_ASKS.replace(/\n {6}ask_human: .*/, ''), { people: PEOPLE });
    models.enqueue({ text: 'A plan.\n\nAsk a human: may I?' });
    await h.step(7, modelEnv(models));
    expect(sentTo(models, 0).system).not.toContain('Ask a human');
    expect(h.parsedOutputs(7).at(-1)?.output).not.toHaveProperty('ask_human');
    expect(h.app.state(7)).toMatchObject({ wait: { for: 'approval', step: 'response' } });
  });
});

describe('an AI approver that asks a person (ask_human)', () => {
  it('waits for an answer, then is asked again with it and decides', async () => {
    const { h, models } = await labelled(APPROVER_ASKS, { people: PEOPLE });
    const env = modelEnv(models);
    models.enqueue({ text: 'Plan: add the flag; charge for it.' });
    await h.step(7, env);
    models.enqueue(decision('ask_human', 'May the plan charge for dry runs? cc @mallory'));
    await h.step(7, env);

    expect(sentTo(models, 1).system).toContain('"decision": "ask_human"');
    const asked = h.parsedOutputs(7).at(-1);
    expect(asked?.output).toMatchObject({
      kind: 'approver',
      decision: 'ask_human',
      ask_human: { question: 'May the plan charge for dry runs? cc @\u200bmallory' },
    });
    expect(asked?.visible).toBe(
      '**AI approver (`ai:reviewer`): asks a person before deciding.**\n\n> May the plan charge for dry runs? cc @&#8203;\u200bmallory',
    );
    expect(h.app.state(7)).toMatchObject({
      status: 'awaiting_approval',
      wait: { for: 'answer', from: 'approver', step: 'response' },
    });
    const notice = h.app.replies(7).at(-1) ?? '';
    expect(notice).toMatch(/^@bob: the AI approver `ai:reviewer` asks a question before it goes on\./);
    expect(notice).toContain('decide the response yourselves with `/approve` or `/reject <reason>`');

    await h.app.comment(7, 'bob', '/answer No: dry runs are free.');
    expect(h.lastDispatch()).toMatchObject({ step: 'approver', attempt: '1' });
    models.enqueue(decision('rejected', 'Dry runs are free: drop the charge.'));
    await h.step(7, env);
    const judging = sentTo(models, 2).prompt;
    expect(judging).toContain('```data: your question\nMay the plan charge for dry runs?');
    expect(judging).toContain('```data: the answer of @bob\nNo: dry runs are free.\n```');
    expect(h.lastDispatch()).toMatchObject({ step: 'response', attempt: '2' });
  });

  it('lets an approver decide in its place with /approve', async () => {
    const { h, models } = await labelled(APPROVER_ASKS, { people: PEOPLE });
    const env = modelEnv(models);
    models.enqueue({ text: 'Plan: add the flag.' });
    await h.step(7, env);
    models.enqueue(decision('ask_human', 'Is a flag enough, or do we need a config key?'));
    await h.step(7, env);
    await h.app.comment(7, 'bob', '/approve A flag is enough.');
    const state = h.app.state(7);
    expect(state).toMatchObject({ status: 'completed', stage: 'done' });
    expect(state.stages.plan?.approvals.at(-1)).toMatchObject({
      by: 'bob',
      via: 'command',
      step: 'response',
    });
    expect(models.requests).toHaveLength(2);
  });
});
