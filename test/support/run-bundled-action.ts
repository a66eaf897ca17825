import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ID } from './state-keys.ts';

/** The committed bundle, as a runner starts it (`runs.main` of action/action.yml). */
export const BUNDLE = new URL('../../action/dist/index.mjs', import.meta.url).pathname;

export interface BundledRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The step outputs written to GITHUB_OUTPUT, by name. */
  outputs: Record<string, string>;
  /** What was written to GITHUB_STEP_SUMMARY. */
  summary: string;
}

export interface BundledRunParams {
  /** `with:` inputs by their action.yml names (`run-id`, `github-token`...). */
  with?: Record<string, string>;
  /** The workflow_dispatch event payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  /** GITHUB_API_URL. */
  apiUrl: string;
  /** More environment variables (provider keys and base URLs, FLOWGATE_STATE_PUBLIC_KEY). */
  env?: Record<string, string>;
  /** Kill the process after this long. */
  timeoutMs?: number;
  /** Kills the process (SIGKILL, as a runner that dies) when aborted: its `code` is then null. */
  signal?: AbortSignal;
}

/**
 * Runs the bundled Action in a child process the way a GitHub runner does: `INPUT_*` variables for `with:`
 * inputs (upper case, spaces as underscores), the event payload at GITHUB_EVENT_PATH, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, GITHUB_REPOSITORY acme/widgets. Nothing of the test's own environment leaks in but
 * PATH.
 */
export async function runBundledAction(params: BundledRunParams): Promise<BundledRun> {
  const dir = mkdtempSync(join(tmpdir(), 'flowgate-action-'));
  try {
    const eventPath = join(dir, 'event.json');
    const outputPath = join(dir, 'output');
    const summaryPath = join(dir, 'summary');
    writeFileSync(eventPath, JSON.stringify(params.event ?? {}));
    writeFileSync(outputPath, '');
    writeFileSync(summaryPath, '');
    const inputs = { 'github-token': 'ghs_test-token-0123456789', ...params.with };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_REPOSITORY_ID: String(REPO_ID),
      GITHUB_API_URL: params.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '9876543210',
      FLOWGATE_GITHUB_RESILIENT: 'false',
      ...params.env,
    };
    for (const [name, value] of Object.entries(inputs))
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    const child = spawn(process.execPath, [BUNDLE], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(params.signal === undefined ? {} : { signal: params.signal, killSignal: 'SIGKILL' as const }),
    });
    // An abort kills the child and reports an AbortError here (`close` still follows); other errors stay loud.
    child.on('error', (error) => {
      if (error.name !== 'AbortError') throw error;
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), params.timeoutMs ?? 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
      summary: readFileSync(summaryPath, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `name<<delimiter\nvalue\ndelimiter` blocks, as @actions/core writes GITHUB_OUTPUT. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(block)) outputs[m[1] ?? ''] = m[3] ?? '';
  return outputs;
}
