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

    it('JSON in a ```json fence with prose around it', async () => {
      const text =
        'Here is my verdict:\n\n```json\n{\n  "decision": "rejected",\n  "feedback": "Name the {config} file."\n}\n```\n\nThanks!';
      expect(await verdictOf(text)).toEqual({ decision: 'rejected', feedback: 'Name the {config} file.' });
    });

    it('a decision in capitals', async () => {
      expect(await verdictOf('{"decision":"Approved","feedback":"Fine."}')).toEqual({
        decision: 'approved',
        feedback: 'Fine.',
      });
    });

    it('prose braces before the object', async () => {
      expect(await verdictOf('The {plan} is fine {really. {"decision":"approved"}')).toEqual({
        decision: 'approved',
        feedback: '',
      });
    });
  });

  describe('gives a rejection without feedback', () => {
    it('the default feedback', async () => {
      expect(await verdictOf('{"decision":"rejected","feedback":"  "}')).toEqual({
        decision: 'rejected',
        feedback: DEFAULT_REJECTION_FEEDBACK,
      });
      expect(await verdictOf('{"decision":"rejected"}')).toEqual({
        decision: 'rejected',
        feedback: DEFAULT_REJECTION_FEEDBACK,
      });
    });
  });

  describe('never approves an answer it cannot read', () => {
    const cannotRead = (why: string) => ({
      decision: 'rejected',
      feedback: `The answer of the AI approver "checker" could not be read, so the output counts as rejected: ${why}.`,
      malformed: why,
    });

    it.each([
      [
        'prose only',
        'APPROVED. The plan looks good to me.',
        'the answer holds no JSON object with a "decision" (it reads "APPROVED. The plan looks good to me.")',
      ],
      [
        'a decision that is not one of the two',
        '{"decision":"APPROVED!!"}',
        '"decision" is neither "approved" nor "rejected" in {"decision":"APPROVED!!"}',
      ],
      [
        'a decision that is not a string',
        '{"decision":true,"feedback":"ok"}',
        '"decision" is not a string in {"decision":true,"feedback":"ok"}',
      ],
      [
        'feedback that is not a string',
        '{"decision":"approved","feedback":["good"]}',
        '"feedback" is not a string in {"decision":"approved","feedback":["good"]}',
      ],
      [
        'two objects that disagree',
        'First thought: {"decision":"approved"}\nOn reflection: {"decision":"rejected","feedback":"No tests."}',
        'the answer holds both an approval and a rejection',
      ],
      [
        'JSON without a decision',
        '{"verdict":"approved"}',
        'the answer holds no JSON object with a "decision" (it reads "{"verdict":"approved"}")',
      ],
      [
        'broken JSON',
        '{"decision": "approved", "feedback": "ok"',
        'the answer holds no JSON object with a "decision" (it reads "{"decision": "approved", "feedback": "ok"")',
      ],
    ])('%s', async (_, text, why) => {
      expect(await verdictOf(text)).toEqual(cannotRead(why));
    });
  });

  describe('when the approver’s API fails', () => {
    it('throws the ProviderError rather than deciding', async () => {
      server.enqueue({ status: 401 });
      await expect(askApprover(request(anthropic))).rejects.toBeInstanceOf(ProviderError);
    });
  });
});
