import { describe, expect, it } from 'vitest';
import { type InputSource, readInputs } from '../../src/action/inputs.ts';
import { OTHER_PUBLIC_KEY, REPO_ID, STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../support/state-keys.ts';

const KEY = STATE_PUBLIC_KEY;
const EVENT = {
  inputs: { run_id: 'r-7', subject: '7', stage: 'plan', attempt: '2', nonce: 'n1.1', step: 'response' },
};
const ENV = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_REPOSITORY_ID: String(REPO_ID),
  GITHUB_API_URL: 'https://api.github.com/',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '9876543210',
  FLOWGATE_STATE_PUBLIC_KEY: KEY,
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
          repo: { owner: 'acme', repo: 'widgets', id: REPO_ID },
          apiUrl: 'https://api.github.com',
          runUrl: 'https://github.com/acme/widgets/actions/runs/9876543210',
        },
        stateKey: KEY,
      },
    });
  });

  it('prefers `with:` inputs to the event, and the state-key input to the environment', () => {
    const other = OTHER_PUBLIC_KEY;
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

  it('refuses a missing state key and a shared secret, keeping the dispatch so a failure can be posted', () => {
    const missing = readInputs(source({}, { ...ENV, FLOWGATE_STATE_PUBLIC_KEY: undefined }));
    expect(missing).toMatchObject({ ok: false, dispatch: { runId: 'r-7' }, github: { token: 'ghs_token' } });
    if (!missing.ok)
      expect(missing.problems).toEqual([
        expect.stringMatching(/^the state key is not set: give the Action the app's public key/),
      ]);
    const shared = readInputs(
      source({}, { ...ENV, FLOWGATE_STATE_PUBLIC_KEY: undefined, FLOWGATE_STATE_KEY: 'k'.repeat(40) }),
    );
    if (!shared.ok)
      expect(shared.problems).toEqual([
        expect.stringMatching(
          /^the state key's first part is not an Ed25519 key .*: a shared secret \(the HMAC key of flowgate before 0\.2\) no longer signs state/,
        ),
      ]);
    expect(shared.ok).toBe(false);
  });

  it("refuses the app's private key beside the app: an Actions secret would let any pusher forge state", () => {
    const read = readInputs(source({}, { ...ENV, FLOWGATE_STATE_PUBLIC_KEY: STATE_PRIVATE_KEY }));
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.problems).toEqual([
        expect.stringMatching(/^the state key given to the Action is a private key: beside the app/),
      ]);
  });

  it('refuses an empty token and a run outside Actions', () => {
    const read = readInputs(source({ 'github-token': ' ' }, { FLOWGATE_STATE_PUBLIC_KEY: KEY }));
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problems).toEqual([
        'the input "github-token" is empty: leave it out to use the workflow\'s GITHUB_TOKEN, or pass a token that may write issue comments',
        'GITHUB_REPOSITORY is not set: the Action runs in a GitHub Actions job, which sets it',
        "GITHUB_REPOSITORY_ID is not set: the Action runs in a GitHub Actions job, which sets it (run states are bound to the repository's id)",
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
