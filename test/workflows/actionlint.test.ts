import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatWorkflowFinding, lintWorkflowText, workflowFiles } from '../../scripts/lint-workflow-files.ts';
import { evaluateActionsExpression } from '../support/actions-expression.ts';

const ROOT = new URL('../../', import.meta.url);
const FILES = workflowFiles(ROOT);
const read = (file: string) => readFileSync(new URL(file, ROOT), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { workflow_dispatch?: { inputs?: Record<string, { required?: boolean; type?: string }> } };
  permissions?: unknown;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { permissions?: unknown; steps: Step[] }>;
}

/** The workflows shown in the docs (fenced yaml blocks with jobs), which readers copy too. */
function docWorkflows(): { file: string; text: string }[] {
  return ['README.md', 'docs/action-contract.md', 'docs/app.md', 'docs/code-stages.md'].flatMap((file) =>
    [...read(file).matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] ?? '')
      .filter((text) => /^jobs:/m.test(text))
      .map((text) => ({ file, text })),
  );
}

describe('actionlint', () => {
  it('reports a broken workflow (the linter really runs)', async () => {
    const broken = [
      'on: issues',
      'jobs:',
      '  greet:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - run: echo "\${{ github.event.issue.title }}"`,
      '',
    ].join('\n');
    const findings = await lintWorkflowText(broken, 'broken.yml');
    expect(findings.map(formatWorkflowFinding)).toEqual([
      'broken.yml:6:24: "github.event.issue.title" is potentially untrusted. avoid using it directly in inline scripts. ' +
        'instead, pass it through an environment variable. see https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions for more details [expression]',
    ]);
  });

  it('covers this repository’s CI and the example teams copy', () => {
    expect(FILES).toEqual([
      '.github/workflows/ci.yml',
      'workflows-examples/.github/workflows/flowgate-app-less.yml',
      'workflows-examples/.github/workflows/flowgate-sweep.yml',
      'workflows-examples/.github/workflows/flowgate-validate.yml',
      'workflows-examples/.github/workflows/flowgate.yml',
    ]);
  });

  it.each(FILES)('finds nothing in %s', async (file) => {
    const findings = await lintWorkflowText(read(file), file);
    expect(findings.map(formatWorkflowFinding)).toEqual([]);
  });

  it('finds nothing in the workflows the docs show', async () => {
    const blocks = docWorkflows();
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const { file, text } of blocks) {
      expect((await lintWorkflowText(text, file)).map(formatWorkflowFinding)).toEqual([]);
    }
  });
});

describe('every workflow file', () => {
  it.each(FILES)('%s puts no expression inside a run: script and declares its permissions', (file) => {
    const workflow = parse(read(file)) as Workflow;
    expect(workflow.permissions).toBeDefined();
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps) expect(step.run ?? '').not.toContain(`\${{`);
    }
  });
});

describe('every example Actions workflow', () => {
  // The validate workflow runs the installed `flowgate` command, not the Action.
  it.each(FILES.filter((f) => f.startsWith('workflows-examples/') && !f.endsWith('/flowgate-validate.yml')))(
    '%s references the Action by the full commit of a release, never by a tag',
    (file) => {
      const uses = [...read(file).matchAll(/^ *(?:- )?uses: (\S+\/flowgate\/action@.*)$/gm)].map((m) => m[1]);
      const pinned = (JSON.parse(read('package.json')) as { flowgateAction: Record<string, string> })
        .flowgateAction;
      expect(pinned?.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(uses).toEqual([`${pinned?.repository}/action@${pinned?.commit} # ${pinned?.version}`]);
    },
  );
});

describe('the example flowgate workflow', () => {
  const workflow = parse(read('workflows-examples/.github/workflows/flowgate.yml')) as Workflow;
  const job = Object.values(workflow.jobs)[0];

  it('declares the six string inputs of the contract', () => {
    const inputs = workflow.on.workflow_dispatch?.inputs ?? {};
    expect(Object.keys(inputs)).toEqual(['run_id', 'subject', 'stage', 'attempt', 'nonce', 'step']);
    for (const input of Object.values(inputs))
      expect(input).toMatchObject({ required: true, type: 'string' });
  });

  it('asks for no permission by default and for the three it needs in its one job', () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
    expect(job?.permissions).toEqual({ contents: 'write', issues: 'write', 'pull-requests': 'write' });
  });

  it('runs one step per subject at a time, without cancelling the running one', () => {
    expect(workflow.concurrency).toEqual({
      group: `flowgate-\${{ inputs.subject }}`,
      'cancel-in-progress': false,
    });
  });

  it('checks out the default branch without keeping the token in .git/config', () => {
    const checkout = job?.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with).toEqual({ 'persist-credentials': false });
  });

  it("runs the flowgate Action with the app's public key only, from a variable", () => {
    const step = job?.steps.find((s) => s.uses?.includes('/flowgate/action@')) as Step & {
      env?: Record<string, string>;
    };
    expect(step?.env).not.toHaveProperty('FLOWGATE_STATE_KEY');
    expect(step?.env).not.toHaveProperty('FLOWGATE_STATE_PRIVATE_KEY');
    expect(step?.env?.FLOWGATE_STATE_PUBLIC_KEY).toBe(`\${{ vars.FLOWGATE_STATE_PUBLIC_KEY }}`);
  });
});

describe('the example workflow without the app', () => {
  const workflow = parse(read('workflows-examples/.github/workflows/flowgate-app-less.yml')) as Workflow & {
    jobs: Record<string, { if?: string; steps: (Step & { with?: Record<string, string> })[] }>;
  };
  const job = Object.values(workflow.jobs)[0];

  it('runs one job per subject at a time, without cancelling the running one', () => {
    expect(workflow.concurrency).toEqual({
      group: `flowgate-\${{ github.event.issue.number || github.event.pull_request.number || inputs.subject || 'timers' }}`,
      'cancel-in-progress': false,
    });
  });

  it('asks for the four permissions it needs in its one job', () => {
    expect(workflow.permissions).toEqual({});
    expect(job?.permissions).toEqual({
      contents: 'write',
      issues: 'write',
      'pull-requests': 'write',
      checks: 'write',
    });
  });

  it('filters out bots and comments that hold no command before a runner starts', () => {
    expect(job?.if).toContain("github.event.sender.type != 'Bot'");
    expect(job?.if).toContain("startsWith(github.event.comment.body, '/')");
  });

  it("starts a job for a comment that hands in a manual stage's content with /submit, and none for chat", () => {
    const starts = (body: string, type = 'User') =>
      evaluateActionsExpression(job?.if ?? '', {
        github: {
          event_name: 'issue_comment',
          repository: 'acme/widgets',
          event: { action: 'created', comment: { body }, sender: { type } },
        },
      });
    expect(starts('/submit ## Plan\n\n1. Add a sessions table.')).toBe(true);
    expect(starts('/submit\n## Plan')).toBe(true);
    expect(starts('I will get to this tomorrow.')).toBe(false);
    expect(starts('/submit ## Plan', 'Bot')).toBe(false);
  });

  it('ticks every 15 minutes for the timers, on a cron line no example workflow sweeps, and lets the tick through', () => {
    const on = workflow.on as { schedule?: { cron: string }[] };
    expect(on.schedule).toEqual([{ cron: '*/15 * * * *' }]);
    expect(job?.if).toContain("github.event_name == 'schedule'");
    expect(job?.steps.find((s) => s.uses?.includes('/flowgate/action@'))?.with?.timers).toBe(true);
    const examples = readdirSync(new URL('workflows-examples/', ROOT)).filter((f) => f.endsWith('.yml'));
    const swept = examples.flatMap((file) => {
      const parsed = parse(read(`workflows-examples/${file}`)) as {
        on?: { schedule?: { cron?: string | string[] } };
      };
      return [parsed.on?.schedule?.cron ?? []].flat();
    });
    expect(swept).not.toContain('*/15 * * * *');
  });

  it('checks out the default branch, never the head of a pull request', () => {
    const checkout = job?.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with).toEqual({
      ref: `\${{ github.event.repository.default_branch }}`,
      'persist-credentials': false,
    });
  });
  it('starts every example workflow from its own trigger labels (the job filter admits each)', () => {
    const filter = job?.if ?? '';
    const prefixes = [...filter.matchAll(/startsWith\(github\.event\.label\.name, '([^']*)'\)/g)].map(
      (m) => m[1] ?? '',
    );
    const listed = [
      ...filter.matchAll(/contains\(fromJSON\('(\[[^']*\])'\), github\.event\.label\.name\)/g),
    ].flatMap((m) => JSON.parse(m[1] ?? '[]') as string[]);
    const admitted = (label: string) => prefixes.some((p) => label.startsWith(p)) || listed.includes(label);
    const examples = readdirSync(new URL('workflows-examples/', ROOT)).filter((f) => f.endsWith('.yml'));
    const labels = examples.flatMap((file) => {
      const on = (parse(read(`workflows-examples/${file}`)) as { on?: { labels?: string[] } }).on;
      return (on?.labels ?? []).map((label) => ({ file, label }));
    });
    expect(labels).toContainEqual({ file: 'triage-root-cause-fix.yml', label: 'bug' });
    expect(labels.filter(({ label }) => !admitted(label))).toEqual([]);
    expect(admitted('question')).toBe(false);
  });

  it('admits, by its job filter, label events on a subject with a run in progress, and not elsewhere', () => {
    const filter = job?.if ?? '';
    const admits = (event: string, action: string, label: string, labels: string[], sender = 'User') => {
      const subject = { number: 7, labels: labels.map((name) => ({ name })) };
      const payload = {
        action,
        label: { name: label },
        sender: { type: sender },
        ...(event === 'issues'
          ? { issue: subject }
          : { pull_request: { ...subject, head: { repo: { full_name: 'acme/widgets' } } } }),
      };
      const github = { event_name: event, event: payload, repository: 'acme/widgets' };
      return Boolean(evaluateActionsExpression(filter, { github, inputs: {} }));
    };
    // A run waiting on "ready" in labels: its subject carries the stage label "flowgate: plan".
    expect(admits('issues', 'labeled', 'ready', ['flowgate: plan', 'ready'])).toBe(true);
    expect(admits('issues', 'unlabeled', 'blocked', ['flowgate: plan'])).toBe(true);
    expect(admits('pull_request', 'labeled', 'ready', ['flowgate: review', 'ready'])).toBe(true);
    // No run in progress: an ordinary label starts no job; a trigger label does.
    expect(admits('issues', 'labeled', 'question', ['question'])).toBe(false);
    expect(admits('pull_request', 'unlabeled', 'question', [])).toBe(false);
    expect(admits('issues', 'labeled', 'flowgate:feature', ['flowgate:feature'])).toBe(true);
    expect(admits('issues', 'labeled', 'bug', ['bug'])).toBe(true);
    // flowgate's own label moves start nothing.
    expect(admits('issues', 'labeled', 'flowgate: build', ['flowgate: build'], 'Bot')).toBe(false);
  });

  it('lets a label added or removed through where a run is in progress: a transition condition may wait for it', () => {
    const on = workflow.on as { issues?: { types?: string[] }; pull_request?: { types?: string[] } };
    expect(on.issues?.types).toEqual(expect.arrayContaining(['labeled', 'unlabeled']));
    expect(on.pull_request?.types).toEqual(expect.arrayContaining(['labeled', 'unlabeled']));
    // A run in progress shows its stage label ("flowgate: <stage>"), which the payload's labels carry.
    expect(job?.if).toContain("contains(join(github.event.issue.labels.*.name, '|'), 'flowgate')");
    expect(job?.if).toContain("contains(join(github.event.pull_request.labels.*.name, '|'), 'flowgate')");
  });

  it('reads the signing key from an environment (limited to the default branch), never a repository secret', () => {
    const advance = job as unknown as {
      environment?: string;
      steps: (Step & { env?: Record<string, string> })[];
    };
    expect(advance.environment).toBe('flowgate');
    const step = advance.steps.find((s) => s.uses?.includes('/flowgate/action@'));
    expect(step?.env?.FLOWGATE_STATE_PRIVATE_KEY).toBe(`\${{ secrets.FLOWGATE_STATE_PRIVATE_KEY }}`);
    expect(step?.env).not.toHaveProperty('FLOWGATE_STATE_KEY');
  });
});

describe('the example validate workflow', () => {
  const workflow = parse(read('workflows-examples/.github/workflows/flowgate-validate.yml')) as Workflow & {
    on: { push?: { paths?: string[] }; pull_request?: { paths?: string[] } | null };
    jobs: Record<string, { name?: string; environment?: string; steps: (Step & { env?: unknown })[] }>;
  };
  const jobs = Object.values(workflow.jobs);

  it('checks the workflow files on the pushes that change them and on every pull request (a required check)', () => {
    expect(workflow.on.push?.paths).toEqual(['.github/flowgate/**']);
    expect(workflow.on.pull_request?.paths).toBeUndefined();
    expect(jobs.map((j) => j.name)).toEqual(['flowgate: workflow files']);
  });

  it('reads the repository only, with no secret and no environment', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(read('workflows-examples/.github/workflows/flowgate-validate.yml')).not.toMatch(
      /secrets\.|vars\./,
    );
    expect(jobs[0]?.environment).toBeUndefined();
  });

  it('runs the command the lockfile installs, never one fetched by name, with annotations', () => {
    expect(jobs[0]?.steps.map((s) => s.run).filter((r) => r !== undefined)).toEqual([
      'npm ci --ignore-scripts',
      'npx --no-install flowgate validate --format github',
    ]);
  });
});

describe('the example sweep workflow', () => {
  const workflow = parse(read('workflows-examples/.github/workflows/flowgate-sweep.yml')) as Workflow & {
    jobs: Record<string, { environment?: string; steps: (Step & { env?: Record<string, string> })[] }>;
  };
  const job = Object.values(workflow.jobs)[0];

  it("signs with a key from the environment flowgate, and verifies the app's runs with its public key", () => {
    expect(job?.environment).toBe('flowgate');
    const step = job?.steps.find((s) => s.uses?.includes('/flowgate/action@')) as
      | (Step & { env?: Record<string, string> })
      | undefined;
    expect(step?.env?.FLOWGATE_STATE_PRIVATE_KEY).toBe(`\${{ secrets.FLOWGATE_STATE_PRIVATE_KEY }}`);
    expect(step?.env?.FLOWGATE_STATE_PUBLIC_KEY).toBe(`\${{ vars.FLOWGATE_STATE_PUBLIC_KEY }}`);
    expect(step?.env).not.toHaveProperty('FLOWGATE_STATE_KEY');
  });
});
