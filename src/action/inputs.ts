import { z } from 'zod';
import { parseStateKeys } from '../core/state/state-keys.ts';
import type { RepoRef } from '../github/types.ts';

/** The dispatch this job answers: the six workflow_dispatch inputs of the app-Action contract. */
export interface DispatchInputs {
  runId: string;
  /** The issue or pull request number. */
  subject: number;
  stage: string;
  attempt: number;
  nonce: string;
  step: 'prompt' | 'response' | 'approver';
}

/** Where the Action talks to GitHub, and as whom. */
export interface GitHubInputs {
  token: string;
  repo: RepoRef;
  /** The REST API root (`GITHUB_API_URL`). */
  apiUrl: string;
  /** This Actions run's page, for failure outputs; undefined outside Actions. */
  runUrl?: string;
}

export interface ActionInputs {
  dispatch: DispatchInputs;
  github: GitHubInputs;
  /** The public key(s) the state block must verify with (`state-key` input or `FLOWGATE_STATE_PUBLIC_KEY`). */
  stateKey: string;
  /** The workflow definition's path, for messages and relative `extends:` (`workflow-file` input). */
  workflowFile?: string;
}

export type InputsResult =
  | { ok: true; inputs: ActionInputs }
  /** What is wrong, one sentence per problem; with whatever could be read, to post a failure output. */
  | { ok: false; problems: string[]; dispatch?: DispatchInputs; github?: GitHubInputs };

/** Where inputs come from: the `with:` inputs (as @actions/core reads them), the environment, the event. */
export interface InputSource {
  /** A `with:` input by its name in action.yml; '' when not set. */
  input: (name: string) => string;
  env: Readonly<Record<string, string | undefined>>;
  /** The parsed event payload (GITHUB_EVENT_PATH), if any. */
  event: unknown;
}

const WholeNumber = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, { error: 'must be a whole number from 1' })
  .transform(Number);
const Text = z.string().min(1, { error: 'is missing' });

/** The dispatch inputs by their workflow_dispatch names (the `with:` names use dashes). */
const DispatchSchema = z.object({
  /** The run's id (`state.id`). */
  run_id: Text.max(200, { error: 'is longer than 200 characters' }),
  /** The issue or pull request number. */
  subject: WholeNumber,
  /** The stage id. */
  stage: Text.max(100, { error: 'is longer than 100 characters' }),
  /** The stage attempt, from 1. */
  attempt: WholeNumber,
  /** The dispatch's nonce. */
  nonce: Text.max(200, { error: 'is longer than 200 characters' }),
  /** prompt, response or approver. */
  step: z.enum(['prompt', 'response', 'approver'], { error: 'must be prompt, response or approver' }),
});

const RepositorySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'must read "owner/repo"' });

const DISPATCH_NAMES = Object.keys(DispatchSchema.shape) as (keyof typeof DispatchSchema.shape)[];

/**
 * Reads and validates the Action's inputs. Each dispatch input comes from `with:` (`run-id`, `subject`, ...)
 * or else from the workflow_dispatch event's `inputs` (`run_id`, ...); the token from `github-token`; the state
 * key from `state-key` or `FLOWGATE_STATE_PUBLIC_KEY`; the repository and URLs from the runner's environment. Every
 * problem is reported, not only the first. Pure.
 */
export function readInputs(source: InputSource): InputsResult {
  const problems: string[] = [];
  const eventInputs = eventInputsOf(source.event);

  const raw: Record<string, string | undefined> = {};
  for (const name of DISPATCH_NAMES) {
    const given = source.input(name.replace('_', '-')).trim();
    raw[name] = given !== '' ? given : eventInputs[name]?.trim() || undefined;
  }
  const dispatchParsed = DispatchSchema.safeParse(raw);
  let dispatch: DispatchInputs | undefined;
  if (dispatchParsed.success) {
    const d = dispatchParsed.data;
    dispatch = {
      runId: d.run_id,
      subject: d.subject,
      stage: d.stage,
      attempt: d.attempt,
      nonce: d.nonce,
      step: d.step,
    };
  } else {
    for (const issue of dispatchParsed.error.issues) {
      const name = String(issue.path[0]);
      const value = raw[name];
      const message = value === undefined ? 'is missing' : `${issue.message}, not ${JSON.stringify(value)}`;
      problems.push(
        `the input "${name.replace('_', '-')}" ${message}: pass it with \`with: ${name.replace('_', '-')}:\` or dispatch the workflow with the input "${name}" (see the flowgate Action's README)`,
      );
    }
  }

  const github = readGitHub(source, problems);

  const stateKey = readStateKey(source, problems, 'verify');

  const workflowFile = source.input('workflow-file').trim();
  if (problems.length > 0 || dispatch === undefined || github === undefined) {
    return {
      ok: false,
      problems,
      ...(dispatch === undefined ? {} : { dispatch }),
      ...(github === undefined ? {} : { github }),
    };
  }
  return {
    ok: true,
    inputs: { dispatch, github, stateKey, ...(workflowFile === '' ? {} : { workflowFile }) },
  };
}

/**
 * The state key, '' with a problem pushed when it is missing or unusable. `verify`: the Action beside the app,
 * which only reads state: public keys (`state-key` input or FLOWGATE_STATE_PUBLIC_KEY); a private key is refused,
 * since an Actions secret is readable by everyone who can push a workflow. `sign`: the Action alone or a sweep,
 * which write state: a private key (`state-key` input or FLOWGATE_STATE_PRIVATE_KEY, from an environment limited
 * to the default branch).
 */
export function readStateKey(source: InputSource, problems: string[], use: 'verify' | 'sign'): string {
  const { env } = source;
  const named = use === 'sign' ? 'FLOWGATE_STATE_PRIVATE_KEY' : 'FLOWGATE_STATE_PUBLIC_KEY';
  const stateKey =
    source.input('state-key').trim() || env[named]?.trim() || env.FLOWGATE_STATE_KEY?.trim() || '';
  if (stateKey === '') {
    problems.push(
      use === 'sign'
        ? // biome-ignore lint/suspicious/noTemplateCurlyInString: the text shows a workflow expression to copy
          'the state key is not set: the Action alone signs run states with a private key kept in an environment limited to the default branch, as `environment: flowgate` and `env: FLOWGATE_STATE_PRIVATE_KEY: ${{ secrets.FLOWGATE_STATE_PRIVATE_KEY }}` (make one with `npx flowgate key generate`; docs/security.md)'
        : // biome-ignore lint/suspicious/noTemplateCurlyInString: the text shows a workflow expression to copy
          'the state key is not set: give the Action the app\'s public key (the app prints it at start; `npx flowgate key public`), as `env: FLOWGATE_STATE_PUBLIC_KEY: ${{ vars.FLOWGATE_STATE_PUBLIC_KEY }}` (or the input "state-key")',
    );
    return '';
  }
  const parsed = parseStateKeys(stateKey);
  if (!parsed.ok) {
    problems.push(parsed.message);
  } else if (use === 'verify' && parsed.ring.signer !== undefined) {
    problems.push(
      "the state key given to the Action is a private key: beside the app, the Action needs only the app's public key (fgpk1_...); a private key in Actions lets everyone who can push a workflow forge run states. Remove it from the repository's secrets, rotate the app's key and give the Action the public one (docs/security.md)",
    );
  } else if (use === 'sign' && parsed.ring.signer === undefined) {
    problems.push(
      'the state key holds no private key: the Action alone writes run states and needs FLOWGATE_STATE_PRIVATE_KEY (fgsk1_...) from an environment limited to the default branch (docs/security.md)',
    );
  }
  // A job that signs may also read states the app signed (a sweep beside the app): its public key verifies them.
  const alsoVerify = use === 'sign' ? (env.FLOWGATE_STATE_PUBLIC_KEY?.trim() ?? '') : '';
  if (alsoVerify !== '' && parseStateKeys(alsoVerify).ok) return `${stateKey}\n${alsoVerify}`;
  return stateKey;
}

/** The token, repository and URLs the Action talks to GitHub with; undefined with problems pushed when unusable. */
export function readGitHub(source: InputSource, problems: string[]): GitHubInputs | undefined {
  const { env } = source;
  const before = problems.length;
  const token = source.input('github-token').trim();
  if (token === '') {
    problems.push(
      'the input "github-token" is empty: leave it out to use the workflow\'s GITHUB_TOKEN, or pass a token that may write issue comments',
    );
  }
  const repository = RepositorySchema.safeParse(env.GITHUB_REPOSITORY ?? '');
  if (!repository.success) {
    problems.push(
      `GITHUB_REPOSITORY ${env.GITHUB_REPOSITORY === undefined ? 'is not set' : `must read "owner/repo", not ${JSON.stringify(env.GITHUB_REPOSITORY)}`}: the Action runs in a GitHub Actions job, which sets it`,
    );
  }
  const apiUrl = (env.GITHUB_API_URL ?? '').trim() || 'https://api.github.com';
  if (!z.url().safeParse(apiUrl).success)
    problems.push(`GITHUB_API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
  const repositoryId = Number((env.GITHUB_REPOSITORY_ID ?? '').trim());
  if (!Number.isSafeInteger(repositoryId) || repositoryId <= 0) {
    problems.push(
      `GITHUB_REPOSITORY_ID ${env.GITHUB_REPOSITORY_ID === undefined ? 'is not set' : `must be a number, not ${JSON.stringify(env.GITHUB_REPOSITORY_ID)}`}: the Action runs in a GitHub Actions job, which sets it (run states are bound to the repository's id)`,
    );
  }
  if (problems.length > before || !repository.success) return undefined;
  const [owner = '', repo = ''] = repository.data.split('/');
  const server = (env.GITHUB_SERVER_URL ?? '').trim() || 'https://github.com';
  const runId = env.GITHUB_RUN_ID?.trim();
  return {
    token,
    repo: { owner, repo, id: repositoryId },
    apiUrl: apiUrl.replace(/\/+$/, ''),
    ...(runId ? { runUrl: `${server.replace(/\/+$/, '')}/${owner}/${repo}/actions/runs/${runId}` } : {}),
  };
}

/** The `inputs` of a workflow_dispatch event payload, as strings; {} for any other event. */
function eventInputsOf(event: unknown): Record<string, string | undefined> {
  if (typeof event !== 'object' || event === null || !('inputs' in event)) return {};
  const inputs = event.inputs;
  if (typeof inputs !== 'object' || inputs === null) return {};
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
  }
  return out;
}
