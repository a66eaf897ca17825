import { afterAll, beforeAll, beforeEach } from 'vitest';
import { providerModels } from '../../../src/action/models.ts';
import { type RunSweepParams, runSweep } from '../../../src/action/sweep/run-sweep.ts';
import type { AppConfig } from '../../../src/app/app-config.ts';
import { decodeSweepState } from '../../../src/core/sweep/index.ts';
import { createOctokit } from '../../../src/github/create-octokit.ts';
import { addBriefIssues } from '../../support/brief-issues.ts';
import { GitHubStandIn } from '../../support/github-stand-in.ts';
import { ModelServer } from '../../support/model-server.ts';
import { mountStandIn } from '../../support/nock-stand-in.ts';
import { REPO_ID, STATE_PRIVATE_KEY } from '../../support/state-keys.ts';

export const STATE_KEY = STATE_PRIVATE_KEY;

/** A small scheduled workflow: outline (automatic) -> edit (an editor approves) -> done. */
export function sweepWorkflowText(budget = 'max_tokens: 100000'): string {
  return `version: 1
name: briefs
on:
  command: briefs
  subject: issue
  schedule:
    cron: "0 2 * * *"
    select: { type: issues, labels: brief, limit: 500 }
    batch_size: 5
    budget: { ${budget} }
    dashboard: { title: "Brief sweeps" }
providers:
  writer: openai/gpt-5-mini
defaults:
  gate: skip
stages:
  - id: outline
    provider: writer
    instructions: "Outline the article {{ subject.title }}."
    estimate: { tokens: 15 }
  - id: edit
    provider: writer
    instructions: "Edit this outline: {{ outputs.outline }}"
    gate: { approver: manual }
    estimate: { tokens: 15 }
    next: done
  - id: done
    type: terminal
`;
}

/** A repository with `count` open issues labelled `brief`, the workflow above, and a maintainer. */
export function sweepRepo(count: number, text = sweepWorkflowText()): GitHubStandIn {
  const github = new GitHubStandIn();
  github.files.set('.github/flowgate/briefs.yml', text);
  github.permissions.set('maya', 'maintain');
  github.permissions.set('rudy', 'read');
  addBriefIssues(github, count, 'maya');
  mountStandIn(github);
  return github;
}

/** Runs one sweep job against the stand-in and the model server; `offsetMs` moves its clock forward. */
export function sweepJob(
  github: GitHubStandIn,
  models: ModelServer,
  options: { runId?: string; offsetMs?: number; logs?: string[]; extra?: Partial<RunSweepParams> } = {},
) {
  const config: AppConfig = {
    stateKey: STATE_KEY,
    actionsWorkflow: 'flowgate.yml',
    startPermission: 'write',
    outputAuthors: ['github-actions[bot]', github.botLogin],
  };
  const logs = options.logs ?? [];
  const offset = options.offsetMs ?? 0;
  return runSweep({
    octokit: createOctokit({ token: 'ghs_test', resilient: false }),
    github: {
      token: 'ghs_test',
      repo: { owner: 'acme', repo: 'widgets', id: REPO_ID },
      apiUrl: 'https://api.github.com',
    },
    defaultBranch: 'main',
    runId: options.runId ?? '1001',
    trigger: 'cron',
    actor: 'schedule',
    config,
    models: providerModels,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: models.baseUrl('openai') },
    log: { info: (m) => logs.push(m), warning: (m) => logs.push(`warning: ${m}`) },
    now: () => new Date(Date.now() + offset).toISOString(),
    sleep: async () => {},
    ...options.extra,
  });
}

/**
 * One model server for a test file, reset before each test to answer every request with a short outline. Call at
 * the top of the file; the getter gives the server.
 */
export function sharedModelServer(): () => ModelServer {
  let models: ModelServer | undefined;
  beforeAll(async () => {
    models = await ModelServer.start();
  });
  afterAll(async () => {
    await models?.close();
  });
  beforeEach(() => {
    models?.reset();
    if (models !== undefined) models.fallback = { text: 'A fine outline.', usage: { input: 10, output: 5 } };
  });
  return () => {
    if (models === undefined) throw new Error('the model server has not started');
    return models;
  };
}

/** The dashboard issue of the briefs workflow and its verified state. */
export function dashboardOf(github: GitHubStandIn) {
  const entry = [...github.issues.entries()].find(([, i]) => i.title === 'Brief sweeps');
  if (entry === undefined) throw new Error('no dashboard');
  const decoded = decodeSweepState(entry[1].body ?? '', STATE_KEY, REPO_ID);
  if (!decoded.ok) throw new Error(decoded.message);
  return { number: entry[0], state: decoded.state };
}
