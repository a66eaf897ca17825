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

/**
 * One dispatch input checked: its value, or the reason it is refused. Plain checks rather than a schema library:
 * the Action reads its inputs before its first request, and starts faster without loading one.
 */
type Check = (value: string) => { ok: true; value: string | number } | { ok: false; message: string };

const wholeNumber: Check = (value) =>
  /^[1-9][0-9]{0,8}$/.test(value)
    ? { ok: true, value: Number(value) }
    : { ok: false, message: 'must be a whole number from 1' };
const text =
  (max: number): Check =>
  (value) =>
    value.length <= max ? { ok: true, value } : { ok: false, message: `is longer than ${max} characters` };

/** The dispatch inputs by their workflow_dispatch names (the `with:` names use dashes), each with its check. */
const DISPATCH_CHECKS = {
  /** The run's id (`state.id`). */
  run_id: text(200),
  /** The issue or pull request number. */
  subject: wholeNumber,
  /** The stage id. */
  stage: text(100),
  /** The stage attempt, from 1. */
  attempt: wholeNumber,
  /** The dispatch's nonce. */
  nonce: text(200),
  /** prompt, response or approver. */
  step: (value) =>
    value === 'prompt' || value === 'response' || value === 'approver'
      ? { ok: true, value }
      : { ok: false, message: 'must be prompt, response or approver' },
} satisfies Record<string, Check>;

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

const DISPATCH_NAMES = Object.keys(DISPATCH_CHECKS) as (keyof typeof DISPATCH_CHECKS)[];

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
  const checked: Partial<Record<(typeof DISPATCH_NAMES)[number], string | number>> = {};
  for (const name of DISPATCH_NAMES) {
    const value = raw[name];
    const result = value === undefined ? undefined : DISPATCH_CHECKS[name](value);
    if (result?.ok === true) {
      checked[name] = result.value;
      continue;
    }
    const message = result === undefined ? 'is missing' : `${result.message}, not ${JSON.stringify(value)}`;
    problems.push(
      `the input "${name.replace('_', '-')}" ${message}: pass it with \`with: ${name.replace('_', '-')}:\` or dispatch the workflow with the input "${name}" (see the flowgate Action's README)`,
    );
  }
  const dispatch: DispatchInputs | undefined =
    problems.length > 0
      ? undefined
      : {
          runId: String(checked.run_id),
          subject: Number(checked.subject),
          stage: String(checked.stage),
          attempt: Number(checked.attempt),
          nonce: String(checked.nonce),
          step: checked.step as DispatchInputs['step'],
        };

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
  const repository = env.GITHUB_REPOSITORY ?? '';
  const repositoryOk = REPOSITORY.test(repository);
  if (!repositoryOk) {
    problems.push(
      `GITHUB_REPOSITORY ${env.GITHUB_REPOSITORY === undefined ? 'is not set' : `must read "owner/repo", not ${JSON.stringify(env.GITHUB_REPOSITORY)}`}: the Action runs in a GitHub Actions job, which sets it`,
    );
  }
  const apiUrl = (env.GITHUB_API_URL ?? '').trim() || 'https://api.github.com';
  if (!URL.canParse(apiUrl)) problems.push(`GITHUB_API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
  const repositoryId = Number((env.GITHUB_REPOSITORY_ID ?? '').trim());
  if (!Number.isSafeInteger(repositoryId) || repositoryId <= 0) {
    problems.push(
      `GITHUB_REPOSITORY_ID ${env.GITHUB_REPOSITORY_ID === undefined ? 'is not set' : `must be a number, not ${JSON.stringify(env.GITHUB_REPOSITORY_ID)}`}: the Action runs in a GitHub Actions job, which sets it (run states are bound to the repository's id)`,
    );
  }
  if (problems.length > before || !repositoryOk) return undefined;
  const [owner = '', repo = ''] = repository.split('/');
  const server = (env.GITHUB_SERVER_URL ?? '').trim() || 'https://github.com';
  const runId = env.GITHUB_RUN_ID?.trim();
  return {
    token,
    repo: { owner, repo, id: repositoryId },
    apiUrl: apiUrl.replace(/\/+$/, ''),
    ...(runId ? { runUrl: `${server.replace(/\/+$/, '')}/${owner}/${repo}/actions/runs/${runId}` } : {}),
  };
}

/**
 * Who the Action writes as without the app (a sweep, the Action alone): `github-actions[bot]` with the workflow's
 * `GITHUB_TOKEN`; with another token, the bot login the input `github-token-login` names (a GitHub App
 * installation token posts as `<app-slug>[bot]`). Output comments by these logins are read, and their edits of
 * status comments count as flowgate's (see `statusEditors`). Only a bot may be named: a person's comments are
 * never outputs.
 */
export function readWriter(
  source: InputSource,
  problems: string[],
): { outputAuthors: string[]; stateWriter: string } {
  const login = source.input('github-token-login').trim();
  if (login === '') return { outputAuthors: ['github-actions[bot]'], stateWriter: 'github-actions[bot]' };
  if (!BOT_LOGIN.test(login)) {
    problems.push(
      `the input "github-token-login" must name the bot a GitHub App installation token posts as, such as "acme-flowgate[bot]", not ${JSON.stringify(login)}`,
    );
  }
  return {
    outputAuthors: login === 'github-actions[bot]' ? [login] : ['github-actions[bot]', login],
    stateWriter: login,
  };
}

const BOT_LOGIN = /^[a-z\d](?:[a-z\d-]{0,38})\[bot\]$/i;

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
