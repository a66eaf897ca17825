/**
 * Which environment variables a command stage's agent may see. The agent gets the safe base set below, plus the
 * variables its provider names in `pass_env`; nothing else of the job's environment reaches it. Some names are
 * never passed, even when named: they carry flowgate's or the runner's own powers.
 */

/** Variables every agent gets when the job has them: none of them is a secret. */
export const BASE_ENV_NAMES: readonly string[] = [
  // The process basics.
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'HOSTNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'TMPDIR',
  'TMP',
  'TEMP',
  'CI',
  // Where the job runs (GitHub's default variables, minus the ones that are files of the runner).
  'GITHUB_ACTIONS',
  'GITHUB_SERVER_URL',
  'GITHUB_API_URL',
  'GITHUB_GRAPHQL_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_WORKFLOW',
  'GITHUB_JOB',
  'GITHUB_SHA',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_BASE_REF',
  'GITHUB_HEAD_REF',
  'GITHUB_EVENT_NAME',
  'GITHUB_ACTOR',
  'GITHUB_WORKSPACE',
  'RUNNER_OS',
  'RUNNER_ARCH',
  'RUNNER_TEMP',
  'RUNNER_TOOL_CACHE',
];

/** Locale variables (`LC_ALL`, `LC_CTYPE`, ...). */
export const BASE_ENV_PREFIXES: readonly string[] = ['LC_'];

/** Proxy settings, passed like the base set unless their URL carries a user name or password. */
export const PROXY_ENV_NAMES: readonly string[] = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'all_proxy',
  'no_proxy',
];

const RESERVED_EXACT: Record<string, string> = {
  GITHUB_TOKEN: "the job's GitHub token; flowgate itself pushes and opens the pull request",
  GH_TOKEN: 'a GitHub token; flowgate itself pushes and opens the pull request',
  GITHUB_ENV: 'a runner file that sets the environment of later steps',
  GITHUB_OUTPUT: 'a runner file that sets the outputs of the step',
  GITHUB_PATH: 'a runner file that sets the PATH of later steps',
  GITHUB_STATE: 'a runner file that carries state to the post step',
  GITHUB_STEP_SUMMARY: 'a runner file that writes the job summary',
};

const RESERVED_PREFIXES: [string, string][] = [
  ['FLOWGATE_', "flowgate's own settings and keys (FLOWGATE_STATE_PRIVATE_KEY signs the run state)"],
  ['ACTIONS_', "the runner's own tokens (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN)"],
  ['INPUT_', 'the inputs of the running Action, which may carry a token'],
];

/** Why `name` is never passed to an agent, or undefined when the stage may pass it. Letter case does not matter. */
export function reservedEnvReason(name: string): string | undefined {
  const upper = name.toUpperCase();
  const exact = RESERVED_EXACT[upper];
  if (exact !== undefined) return exact;
  return RESERVED_PREFIXES.find(([prefix]) => upper.startsWith(prefix))?.[1];
}
