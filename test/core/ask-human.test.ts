import { describe, expect, it } from 'vitest';
import { checkActionOutput } from '../../src/core/action-output-schema.ts';
import { MAX_QUESTION_CHARS, parseAskHuman } from '../../src/core/ask-human.ts';
import { drive, flow } from './engine/driver.ts';

describe('parseAskHuman', () => {
  it.each([
    ['the last line', 'I need one fact.\n\nAsk a human: Does billing count?', 'Does billing count?'],
    ['a bold label', '**Ask a human:** Does billing count?', 'Does billing count?'],
    ['a bold label with the colon outside', '**Ask a human**: Does billing count?', 'Does billing count?'],
    ['any letter case, trailing blank lines', 'ASK A HUMAN: Billing?\n\n', 'Billing?'],
    ['a CRLF line', 'Plan.\r\nAsk a human: Billing?\r\n', 'Billing?'],
  ])('reads %s', (_, text, question) => {
    expect(parseAskHuman(text)).toBe(question);
  });

  it.each([
    ['a line followed by more text', 'Ask a human: Billing?\n\nThe plan goes on.'],
    ['a line inside a code block', '```\nAsk a human: Billing?\n```'],
    ['a line in an unclosed code block', '```\nAsk a human: Billing?'],
    ['a quoted line', '> Ask a human: Billing?'],
    ['a label without a question', 'Ask a human:'],
    ['the words inside a sentence', 'You could ask a human: but I will not.'],
  ])('reads no question in %s', (_, text) => {
    expect(parseAskHuman(text)).toBeUndefined();
  });

  it('cuts a long question, saying so', () => {
    const question = parseAskHuman(`Ask a human: ${'why '.repeat(600)}?`) ?? '';
    expect(question.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(question.endsWith(' … [cut]')).toBe(true);
  });
});

describe('an output that asks a person', () => {
  const base = { run: 'r', stage: 'plan', attempt: 1, nonce: 'n' };
  const usage = { tokens_in: 1, tokens_out: 1, cost_usd: 0 };
  it('is refused as an approver decision without its question, or a question with another decision', () => {
    const approver = { kind: 'approver' as const, ...base, feedback: '', usage };
    expect(checkActionOutput({ ...approver, decision: 'ask_human' })).toBe(
      'the decision ask_human comes without ask_human.question',
    );
    expect(checkActionOutput({ ...approver, decision: 'approved', ask_human: { question: 'Q?' } })).toMatch(
      /^ask_human is given with the decision approved/,
    );
    expect(checkActionOutput({ ...approver, decision: 'ask_human', ask_human: { question: 'Q?' } })).toBe(
      undefined,
    );
  });
});

const ASKS = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    gate: { approver: "ai:checker", approvers: [carol], ask_human: Ask about billing. }
  - id: done
`);

describe('the engine, when a model asks a person', () => {
  it('holds a question that arrives while the run is paused, and returns to it on /resume', async () => {
    const r = await drive(ASKS);
    r.comment('carol', '/pause');
    r.answer('plan', { question: 'Billing?' });
    expect(r.status).toBe('paused');
    expect(r.wait).toMatchObject({ for: 'answer', from: 'model', question: 'Billing?' });
    r.comment('carol', '/answer Yes.');
    expect(r.replies.at(-1)).toBe('The run is paused; `/resume` it first, then answer.');
    r.comment('carol', '/resume');
    expect(r.status).toBe('awaiting_approval');
    r.comment('carol', '/answer Yes.');
    expect(r.effectsOf('dispatch').at(-1)).toMatchObject({ step: 'response', attempt: 2 });
  });

  it('stops the stage on /reject, and /retry runs it again without the question', async () => {
    const r = await drive(ASKS);
    r.answer('plan');
    r.approverSays('ask_human', '', { question: 'Is a flag enough?' });
    expect(r.wait).toMatchObject({ for: 'answer', from: 'approver', step: 'response' });
    r.comment('carol', '/reject Not now.');
    expect(r.status).toBe('paused');
    r.comment('carol', '/retry Plan it as a config key.');
    expect(r.effectsOf('dispatch').at(-1)).toMatchObject({ step: 'response', attempt: 2 });
    expect(r.record()?.feedback).toBe('Plan it as a config key.');
  });

  it('answers /answer with a reply when no question waits', async () => {
    const r = await drive(ASKS);
    r.comment('carol', '/answer Yes.');
    expect(r.replies.at(-1)).toMatch(/^No question waits for an answer: /);
  });

  it('keeps the questions and answers of the visit, for the next attempt', async () => {
    const r = await drive(ASKS);
    r.answer('plan', { question: 'Billing?' });
    r.comment('carol', '/answer Out of scope.');
    r.answer('plan', { question: 'And invoices?' });
    r.comment('carol', '/answer Also out.');
    expect(r.record()?.asked?.map((a) => [a.attempt, a.question, a.answer, a.by])).toEqual([
      [1, 'Billing?', 'Out of scope.', 'carol'],
      [2, 'And invoices?', 'Also out.', 'carol'],
    ]);
  });
});

describe('the engine, when the AI approver of a prompt gate asks a person', () => {
  const PROMPT_ASKS = flow(`
  - id: plan
    provider: writer
    instructions: Plan
    prompt_gate: { approver: "ai:checker", approvers: [carol], ask_human: Ask when the prompt names a customer. }
    gate: skip
  - id: done
`);

  it('asks the approver again on /answer, and moves on to the response on /approve', async () => {
    const r = await drive(PROMPT_ASKS);
    r.answer('plan'); // the prompt
    expect(r.effectsOf('dispatch').at(-1)).toMatchObject({ step: 'approver' });
    r.approverSays('ask_human', '', { question: 'May the prompt name Acme?' });
    expect(r.wait).toMatchObject({ for: 'answer', from: 'approver', step: 'prompt' });
    expect(r.effectsOf('notify').at(-1)).toMatchObject({
      users: ['carol'],
      question: 'May the prompt name Acme?',
    });
    r.comment('carol', '/answer Yes, it is public.');
    expect(r.wait).toMatchObject({ for: 'action', step: 'approver', of: 'prompt' });
    r.approverSays('ask_human', '', { question: 'And its revenue?' });
    r.comment('carol', '/approve Fine as it is.');
    expect(r.wait).toMatchObject({ for: 'action', step: 'response' });
  });
});
