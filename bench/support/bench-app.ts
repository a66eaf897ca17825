// What the app benchmarks share: the one-stage workflow they run, the app on a GitHub served at a base URL
// (Probot with retries and throttling off, so the numbers are flowgate's own), and the repository of payloads.
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import { type FlowgateAppOptions, flowgateApp } from '../../src/app/flowgate-app.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../../test/support/state-keys.ts';

/** A gated one-stage workflow started by the label `flowgate:draft`. */
export const DRAFT_WORKFLOW = `version: 1
name: draft
on: { labels: [flowgate:draft] }
providers: { writer: anthropic/claude-sonnet-4-5 }
stages:
  - id: draft
    provider: writer
    instructions: "Draft {{ subject.title }}"
    gate: manual
  - id: done
`;

/** acme/widgets as webhook payloads carry it. */
export const REPOSITORY = {
  id: REPO_ID,
  name: 'widgets',
  full_name: 'acme/widgets',
  owner: { login: 'acme' },
  default_branch: 'main',
};

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

/** The app on the GitHub at `baseUrl`, with the test state key; `options` as flowgateApp takes them. */
export function benchApp(baseUrl: string, options: Omit<FlowgateAppOptions, 'config'> = {}): Probot {
  const probot = new Probot({
    appId: 1,
    privateKey: PEM,
    baseUrl,
    logLevel: (process.env.BENCH_LOG as never) ?? 'fatal',
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  probot.load((app) =>
    flowgateApp(app, {
      config: {
        stateKey: STATE_PRIVATE_KEY,
        actionsWorkflow: 'flowgate.yml',
        startPermission: 'write',
        outputAuthors: ['github-actions[bot]'],
      },
      timers: false,
      ...options,
    }),
  );
  return probot;
}
