import { describe, expect, it } from 'vitest';
import { type InputSource, readInputs } from '../../src/action/inputs.ts';

const KEY = 'k'.repeat(40);
const EVENT = {
  inputs: { run_id: 'r-7', subject: '7', stage: 'plan', attempt: '2', nonce: 'n1.1', step: 'response' },
};
const ENV = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_API_URL: 'https://api.github.com/',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '9876543210',
  FLOWGATE_STATE_KEY: KEY,
};

function source(
  withInputs: Record<string, string> = {},
  env: Record<string, string | undefined> = ENV,
  event: unknown = EVENT,
): InputSource {
  const inputs: Record<string, string> = { 'github-token': 'ghs_token', ...withInputs };
  return { input: (name) => inputs[name] ?? '', env, event };
}

describe('readInputs', () => {
  it('reads the dispatch from the workflow_dispatch event and the rest from the environment', () => {
    expect(readInputs(source())).toEqual({
      ok: true,
      inputs: {
        dispatch: { runId: 'r-7', subject: 7, stage: 'plan', attempt: 2, nonce: 'n1.1', step: 'response' },
        github: {
          token: 'ghs_token',
          repo: { owner: 'acme', repo: 'widgets' },
          apiUrl: 'https://api.github.com',
          runUrl: 'https://github.com/acme/widgets/actions/runs/9876543210',
        },
        stateKey: KEY,
      },
    });
  });

  it('prefers `with:` inputs to the event, and the state-key input to the environment', () => {
    const other = 'o'.repeat(32);
    const read = readInputs(
      source({
        'run-id': 'r-8',
        step: 'approver',
        'state-key': other,
        'workflow-file': '.github/flowgate/f.yml',
      }),
    );
    expect(read).toMatchObject({
      ok: true,
      inputs: {
        dispatch: { runId: 'r-8', step: 'approver', stage: 'plan' },
        stateKey: other,
        workflowFile: '.github/flowgate/f.yml',
      },
    });
  });

  it('names every missing input and says where it comes from', () => {
    const read = readInputs(
      source({}, ENV, { inputs: { run_id: 'r-7', stage: 'plan', attempt: '1', step: 'response' } }),
    );
    expect(read).toEqual({
      ok: false,
      problems: [
        'the input "subject" is missing: pass it with `with: subject:` or dispatch the workflow with the input "subject" (see the flowgate Action\'s README)',
        'the input "nonce" is missing: pass it with `with: nonce:` or dispatch the workflow with the input "nonce" (see the flowgate Action\'s README)',
      ],
      github: expect.objectContaining({ token: 'ghs_token' }),
    });
  });

  it.each([
    ['attempt', { attempt: '0' }, 'the input "attempt" must be a whole number from 1, not "0"'],
    ['subject', { subject: '#7' }, 'the input "subject" must be a whole number from 1, not "#7"'],
    ['step', { step: 'review' }, 'the input "step" must be prompt, response or approver, not "review"'],
  ])('refuses a bad %s with the value it got', (_name, bad, message) => {
    const read = readInputs(source({}, ENV, { inputs: { ...EVENT.inputs, ...bad } }));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems[0]).toContain(message);
  });

  it('refuses a missing state key and a short one, keeping the dispatch so a failure can be posted', () => {
    const missing = readInputs(source({}, { ...ENV, FLOWGATE_STATE_KEY: undefined }));
    expect(missing).toMatchObject({ ok: false, dispatch: { runId: 'r-7' }, github: { token: 'ghs_token' } });
    if (!missing.ok)
      expect(missing.problems).toEqual([
        expect.stringMatching(/^the state key is not set: give the Action the secret/),
      ]);
    const short = readInputs(source({}, { ...ENV, FLOWGATE_STATE_KEY: 'short' }));
    if (!short.ok)
      expect(short.problems).toEqual([
        'the state key is shorter than 32 characters: it must be the same secret the app uses',
      ]);
    expect(short.ok).toBe(false);
  });

  it('refuses an empty token and a run outside Actions', () => {
    const read = readInputs(source({ 'github-token': ' ' }, { FLOWGATE_STATE_KEY: KEY }));
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problems).toEqual([
        'the input "github-token" is empty: leave it out to use the workflow\'s GITHUB_TOKEN, or pass a token that may write issue comments',
        'GITHUB_REPOSITORY is not set: the Action runs in a GitHub Actions job, which sets it',
      ]);
      expect(read.github).toBeUndefined();
    }
  });

  it('reads no dispatch from an event of another kind', () => {
    const read = readInputs(source({}, ENV, { action: 'opened', issue: { number: 7 } }));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems).toHaveLength(6);
  });
});
