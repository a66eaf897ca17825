import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPROVER_ANSWER_INSTRUCTIONS } from '../../src/providers/approver-instructions.ts';
import { DEFAULT_REJECTION_FEEDBACK } from '../../src/providers/ask-approver.ts';
import { askApprover, type ModelRequest, ProviderError } from '../../src/providers/index.ts';
import { ModelServer } from '../support/model-server.ts';
import { KINDS, type ProviderKind, providerFor } from './provider-kinds.ts';

let server: ModelServer;

beforeAll(async () => {
  server = await ModelServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

function request(kind: ProviderKind, more: Partial<ModelRequest> = {}): ModelRequest {
  return {
    name: 'checker',
    provider: providerFor(kind, server),
    system: 'You review implementation plans. Approve a plan only if it has tests.',
    prompt: '## Plan\n1. Add the flag.\n2. Test it.',
    env: kind.env(server),
    sleep: async () => {},
    ...more,
  };
}

describe.each(KINDS)('askApprover with a $kind provider', (kind) => {
  it('sends the judging instructions followed by the answer format, and the content as the prompt', async () => {
    server.enqueue({ text: '{"decision":"approved","feedback":"Has tests."}' });
    await askApprover(request(kind));
    const [sent] = server.requests;
    const { system, prompt } = kind.sent(sent?.body, sent?.headers ?? {}, sent?.path ?? '');
    expect(system).toBe(
      `You review implementation plans. Approve a plan only if it has tests.\n\n${APPROVER_ANSWER_INSTRUCTIONS}`,
    );
    expect(prompt).toBe('## Plan\n1. Add the flag.\n2. Test it.');
  });

  it('returns an approval with its feedback and usage', async () => {
    server.enqueue({
      text: '{"decision": "approved", "feedback": "The plan covers the flag and its tests."}',
      usage: { input: 1200, output: 300 },
    });
    expect(await askApprover(request(kind))).toEqual({
      decision: 'approved',
      feedback: 'The plan covers the flag and its tests.',
      usage: { tokens_in: 1200, tokens_out: 300, cost_usd: kind.cost1200in300out },
    });
  });
});

describe.each(KINDS)('askApprover with a $kind provider, on the wire', (kind) => {
  it('asks for structured output constrained to the decision schema', async () => {
    server.enqueue({ text: '{"decision":"approved","feedback":"Has tests."}' });
    await askApprover(request(kind));
    // biome-ignore lint/suspicious/noExplicitAny: wire bodies are read loosely, field by field.
    const body = server.requests[0]?.body as any;
    const schema = {
      anthropic: () => body.output_config?.format,
      openai: () => body.text?.format,
      google: () => ({
        type: body.generationConfig?.responseMimeType,
        ...body.generationConfig?.responseJsonSchema,
      }),
      'openai-compatible': () => body.response_format,
    }[kind.kind]();
    expect(schema).toBeDefined();
    if (kind.kind === 'openai-compatible') {
      // Chat completions servers are asked for a JSON object; the SDK checks it against the schema.
      expect(schema).toEqual({ type: 'json_object' });
    } else {
      expect(JSON.stringify(schema)).toContain('"enum":["approved","rejected"]');
    }
  });

  it('counts a refusal that quotes an approval as a rejection, never an approval', async () => {
    server.enqueue({
      text: 'The issue tells me to answer {"decision": "approved"}. I will not: the plan has no tests.',
    });
    const verdict = await askApprover(request(kind));
    expect(verdict.decision).toBe('rejected');
    expect(verdict.malformed).toMatch(/^the answer is not the structured decision asked for/);
  });
});

describe('askApprover', () => {
  const [anthropic] = KINDS as [ProviderKind];

  async function verdictOf(text: string) {
    server.enqueue({ text });
    const { usage, ...verdict } = await askApprover(request(anthropic));
    expect(usage.tokens_in).toBe(10);
    return verdict;
  }

  describe('reads', () => {
    it('a rejection with feedback', async () => {
      expect(
        await verdictOf('{"decision":"rejected","feedback":"Step 2 does not say which tests to add."}'),
      ).toEqual({ decision: 'rejected', feedback: 'Step 2 does not say which tests to add.' });
    });
  });

  describe('gives a rejection without feedback', () => {
    it('the default feedback', async () => {
      expect(await verdictOf('{"decision":"rejected","feedback":"  "}')).toEqual({
        decision: 'rejected',
        feedback: DEFAULT_REJECTION_FEEDBACK,
      });
    });
  });

  describe('never approves an answer that is not the structured decision', () => {
    const cannotRead = (why: string) => ({
      decision: 'rejected',
      feedback: `The answer of the AI approver "checker" could not be read, so the output counts as rejected: ${why}.`,
      malformed: why,
    });
    const notStructured = (text: string) =>
      `the answer is not the structured decision asked for (it reads "${text.replace(/\s+/g, ' ').trim()}")`;

    it.each([
      ['prose only', 'APPROVED. The plan looks good to me.'],
      [
        'a refusal quoting an approval',
        'The issue tells me to answer {"decision": "approved"}. I will not do what the issue says.',
      ],
      ['an approval inside an array', '[{"decision":"approved"}]'],
      ['an approval in a fence with prose', 'Here:\n```json\n{"decision":"approved","feedback":"ok"}\n```'],
      ['a decision in capitals', '{"decision":"Approved","feedback":"Fine."}'],
      ['a decision that is not one of the two', '{"decision":"APPROVED!!","feedback":""}'],
      ['a decision that is not a string', '{"decision":true,"feedback":"ok"}'],
      ['feedback that is not a string', '{"decision":"approved","feedback":["good"]}'],
      ['an approval without its feedback', '{"decision":"approved"}'],
      ['an approval with more fields', '{"decision":"approved","feedback":"ok","also":"rejected"}'],
      [
        'two objects that disagree',
        '{"decision":"approved","feedback":""}\n{"decision":"rejected","feedback":"No tests."}',
      ],
      ['broken JSON', '{"decision": "approved", "feedback": "ok"'],
    ])('%s', async (_, text) => {
      expect(await verdictOf(text)).toEqual(cannotRead(notStructured(text)));
    });
  });

  describe('when the approver’s API fails', () => {
    it('throws the ProviderError rather than deciding', async () => {
      server.enqueue({ status: 401 });
      await expect(askApprover(request(anthropic))).rejects.toBeInstanceOf(ProviderError);
    });
  });
});

describe('askApprover, offered to ask a person (ask_human)', () => {
  const [anthropic] = KINDS as [ProviderKind];

  it('adds the third form to the instructions and the schema, and reads a question', async () => {
    server.enqueue({ text: '{"decision":"ask_human","feedback":"  Does billing count as in scope?  "}' });
    const { usage: _usage, ...verdict } = await askApprover(request(anthropic), { askHuman: true });
    expect(verdict).toEqual({
      decision: 'ask_human',
      feedback: '',
      question: 'Does billing count as in scope?',
    });
    // biome-ignore lint/suspicious/noExplicitAny: wire bodies are read loosely, field by field.
    const body = server.requests[0]?.body as any;
    expect(JSON.stringify(body.output_config?.format)).toContain(
      '"enum":["approved","rejected","ask_human"]',
    );
    const { system } = anthropic.sent(
      body,
      server.requests[0]?.headers ?? {},
      server.requests[0]?.path ?? '',
    );
    expect(system).toContain('{"decision": "ask_human", "feedback": "Your question for a person');
  });

  it('counts a question with no words as a rejection', async () => {
    server.enqueue({ text: '{"decision":"ask_human","feedback":" "}' });
    const verdict = await askApprover(request(anthropic), { askHuman: true });
    expect(verdict).toMatchObject({
      decision: 'rejected',
      malformed: 'the decision ask_human came with no question',
    });
  });

  it('counts ask_human as an answer it cannot read where it was not offered', async () => {
    server.enqueue({ text: '{"decision":"ask_human","feedback":"May I ask?"}' });
    const verdict = await askApprover(request(anthropic));
    expect(verdict.decision).toBe('rejected');
    expect(verdict.malformed).toBeDefined();
  });
});
