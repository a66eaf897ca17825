import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelProvider, ModelRequest } from '../../src/action/model-types.ts';
import { sha256Hex } from '../../src/core/action-output.ts';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { costOf, PRICES, priceOf } from '../../src/core/prices.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { parseVerdict } from '../../src/core/verdict.ts';
import { stageById, type Workflow } from '../../src/core/workflow.ts';
import { createOctokit } from '../../src/github/create-octokit.ts';
import type { Octo } from '../../src/github/types.ts';
import { memoryFetch } from '../../src/memory-github/memory-fetch.ts';
import { MemoryGitHub } from '../../src/memory-github/memory-github.ts';
import { offlineCodeStage } from '../../src/simulate/offline-code-stage.ts';
import { type Overrides, offlineModels } from '../../src/simulate/offline-models.ts';

const EXAMPLES = readdirSync('workflows-examples')
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.replace(/\.yml$/, ''));

async function example(name: string): Promise<Workflow> {
  const { workflow, diagnostics } = await loadWorkflow(
    `${name}.yml`,
    readFileSync(`workflows-examples/${name}.yml`, 'utf8'),
  );
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return workflow;
}

function noOverrides(): Overrides {
  return { answers: [], decisions: [] };
}

/** The model provider a stage calls (its own, or the one of its AI approver with `as: 'approver'`). */
function providerOf(workflow: Workflow, name: string): ModelProvider {
  const provider = workflow.providers[name];
  if (provider === undefined || provider.use === 'command') throw new Error(`no model provider "${name}"`);
  return provider;
}

/** What the Action's step code asks a model: a rendered prompt, for a stage's attempt. */
function request(
  workflow: Workflow,
  provider: string,
  purpose: ModelRequest['purpose'],
  prompt = 'Review the pull request against the plan.',
): ModelRequest {
  return {
    name: provider,
    provider: providerOf(workflow, provider),
    prompt,
    env: {},
    ...(purpose === undefined ? {} : { purpose }),
  };
}

describe('the offline models', () => {
  it('name the stage and the attempt, answer the prompt they were given, and price it at the provider', async () => {
    const workflow = await example('plan-implement-review-revise');
    const prompt = 'Write an implementation plan for: Dark mode';
    const answer = await offlineModels(workflow, noOverrides()).callModel(
      request(workflow, 'writer', { stage: 'plan', attempt: 2, as: 'response' }, prompt),
    );
    expect(answer.text).toBe(
      '**plan**, attempt 2: a simulated answer by anthropic/claude-sonnet-4-5.\n\n' +
        `It answers the ${prompt.length}-character prompt (sha256 ${sha256Hex(prompt).slice(0, 8)}) offline; a real run calls the model here.`,
    );
    expect(answer.model).toBe('claude-sonnet-4-5 (offline)');
    const tokensIn = Math.ceil(prompt.length / 4);
    const tokensOut = Math.ceil(answer.text.length / 4);
    expect(answer.usage).toEqual({
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      cost_usd: costOf({ input_per_mtok: 3, output_per_mtok: 15 }, tokensIn, tokensOut),
    });
  });

  it('answer the same prompt the same way every time, and another prompt another way', async () => {
    const workflow = await example('plan-implement-review-revise');
    const ask = (prompt: string) =>
      offlineModels(workflow, noOverrides()).callModel(
        request(workflow, 'writer', { stage: 'plan', attempt: 1, as: 'response' }, prompt),
      );
    expect(await ask('Plan it.')).toEqual(await ask('Plan it.'));
    expect((await ask('Plan it.')).text).not.toBe((await ask('Plan it again.')).text);
  });

  it('say FAIL on the first attempt of a verdict stage and PASS afterwards, unless the script says otherwise', async () => {
    const workflow = await example('plan-implement-review-revise');
    const verdict = async (attempt: number, answer?: { text?: string; verdict?: 'pass' | 'fail' }) => {
      const overrides = noOverrides();
      if (answer !== undefined) overrides.answers.push({ stage: 'review', silent: false, ...answer });
      const { text } = await offlineModels(workflow, overrides).callModel(
        request(workflow, 'checker', { stage: 'review', attempt, as: 'response' }),
      );
      expect(overrides.answers).toEqual([]);
      return [parseVerdict(text), text.split('\n').at(-1)];
    };
    expect(await verdict(1)).toEqual(['fail', 'Verdict: FAIL']);
    expect(await verdict(2)).toEqual(['pass', 'Verdict: PASS']);
    expect(await verdict(2, { verdict: 'fail' })).toEqual(['fail', 'Verdict: FAIL']);
    expect(await verdict(1, { text: 'Looks right.\n\n**Verdict:** PASS' })).toEqual([
      'pass',
      '**Verdict:** PASS',
    ]);
    expect(await verdict(1, { text: 'Looks right.\n\n**Verdict:** PASS', verdict: 'fail' })).toEqual([
      'fail',
      '**Verdict:** FAIL',
    ]);
  });

  it('give no verdict for a stage without one, and answer with the scripted text as it is', async () => {
    const workflow = await example('plan-implement-review-revise');
    const overrides = noOverrides();
    overrides.answers.push({ stage: 'plan', silent: false, text: 'Step 1: add a toggle.' });
    const models = offlineModels(workflow, overrides);
    const plan = request(workflow, 'writer', { stage: 'plan', attempt: 1, as: 'response' });
    expect((await models.callModel(plan)).text).toBe('Step 1: add a toggle.');
    expect((await models.callModel(plan)).text).toMatch(/^\*\*plan\*\*, attempt 1: a simulated answer/);
    expect(parseVerdict((await models.callModel(plan)).text)).toBeUndefined();
  });

  it('take the scripted answers in order, each for its own stage', async () => {
    const workflow = await example('plan-implement-review-revise');
    const overrides = noOverrides();
    overrides.answers.push(
      { stage: 'review', silent: false, text: 'First.\n\nVerdict: PASS' },
      { stage: 'plan', silent: false, text: 'The plan.' },
      { stage: 'review', silent: false, text: 'Second.\n\nVerdict: PASS' },
    );
    const models = offlineModels(workflow, overrides);
    const review = request(workflow, 'checker', { stage: 'review', attempt: 2, as: 'response' });
    expect((await models.callModel(review)).text).toMatch(/^First\./);
    expect((await models.callModel(review)).text).toMatch(/^Second\./);
    expect(overrides.answers.map((a) => a.stage)).toEqual(['plan']);
  });

  it('fail a call as a provider error would when the script says so, once', async () => {
    const workflow = await example('plan-implement-review-revise');
    const overrides = noOverrides();
    overrides.answers.push({ stage: 'review', silent: false, fail: 'rate limited' });
    const models = offlineModels(workflow, overrides);
    const review = request(workflow, 'checker', { stage: 'review', attempt: 1, as: 'response' });
    await expect(models.callModel(review)).rejects.toThrow('rate limited');
    await expect(models.callModel(review)).resolves.toMatchObject({ text: expect.stringMatching(/FAIL$/) });
  });

  it('refuse a call that says nothing of its stage', async () => {
    const workflow = await example('plan-implement-review-revise');
    const models = offlineModels(workflow, noOverrides());
    await expect(models.callModel(request(workflow, 'writer', undefined))).rejects.toThrow(
      'the offline model was asked without a stage',
    );
    await expect(
      models.callModel(request(workflow, 'writer', { stage: 'nope', attempt: 1, as: 'response' })),
    ).rejects.toThrow('the offline model was asked without a stage');
  });

  it('pick the first when_ai transition unless the script chooses another', async () => {
    const workflow = await example('triage-root-cause-fix');
    const provider = stageById(workflow, 'triage')?.provider ?? '';
    const choice = async (chosen?: string) => {
      const overrides = noOverrides();
      if (chosen !== undefined) overrides.answers.push({ stage: 'triage', choice: chosen, silent: false });
      const { text } = await offlineModels(workflow, overrides).callModel(
        request(workflow, provider, { stage: 'triage', attempt: 1, as: 'response' }),
      );
      return text.split('\n').at(-1);
    };
    expect(await choice()).toBe('Next stage: root-cause');
    expect(await choice('not-a-bug')).toBe('Next stage: not-a-bug');
  });

  it('approve as an AI approver unless the script rejects, priced at the approver model', async () => {
    const workflow = await example('two-models');
    const gate = stageById(workflow, 'plan')?.gate.approver;
    expect(gate).toBe('ai:claude');
    const ask = (overrides: Overrides, prompt = 'x'.repeat(800)) =>
      offlineModels(workflow, overrides).askApprover(
        request(workflow, 'claude', { stage: 'plan', attempt: 1, as: 'approver' }, prompt),
      );
    const approve = await ask(noOverrides());
    expect(approve).toMatchObject({
      decision: 'approved',
      feedback: 'It does what the instructions ask.',
      usage: { tokens_in: 200 },
    });
    expect(approve.usage.cost_usd).toBe(
      costOf(
        PRICES['claude-sonnet-4-5'] ?? { input_per_mtok: 0, output_per_mtok: 0 },
        200,
        approve.usage.tokens_out,
      ),
    );
    expect(approve.usage.cost_usd).toBeGreaterThan(0);

    const scripted = noOverrides();
    scripted.decisions.push(
      { stage: 'implement', decision: 'approved', feedback: '' },
      { stage: 'plan', decision: 'rejected', feedback: 'No.' },
      { stage: 'plan', decision: 'rejected', feedback: '' },
    );
    expect(await ask(scripted)).toMatchObject({ decision: 'rejected', feedback: 'No.' });
    expect(await ask(scripted)).toMatchObject({ decision: 'rejected', feedback: 'Not good enough.' });
    expect(await ask(scripted)).toMatchObject({ decision: 'approved' });
    expect(scripted.decisions.map((d) => d.stage)).toEqual(['implement']);
  });

  it('prices tokens from the table, a provider price overriding it; agents cost nothing', async () => {
    expect(costOf({ input_per_mtok: 3, output_per_mtok: 15 }, 1_000_000, 100_000)).toBe(4.5);
    expect(priceOf({ use: 'openai', model: 'gpt-5-mini', timeout_seconds: 300 })).toEqual({
      input_per_mtok: 0.25,
      output_per_mtok: 2,
    });
    expect(
      priceOf({
        use: 'openai',
        model: 'gpt-5-mini',
        timeout_seconds: 300,
        price: { input_per_mtok: 1, output_per_mtok: 1 },
      }),
    ).toEqual({ input_per_mtok: 1, output_per_mtok: 1 });
    expect(priceOf({ use: 'google', model: 'unknown-model', timeout_seconds: 300 })).toEqual({
      input_per_mtok: 0,
      output_per_mtok: 0,
    });
    const agent = (await example('plan-implement-review-revise')).providers.agent;
    expect(agent?.use).toBe('command');
    expect(priceOf(agent)).toEqual({ input_per_mtok: 0, output_per_mtok: 0 });
    const models = EXAMPLES.flatMap((name) => {
      const text = readFileSync(`workflows-examples/${name}.yml`, 'utf8');
      return [...text.matchAll(/model: ([\w.:-]+)|(?:anthropic|openai|google)\/([\w.:-]+)/g)].map(
        (m) => m[1] ?? m[2],
      );
    });
    expect(models.filter((m) => m !== undefined && PRICES[m] === undefined)).toEqual([]);
  });
});

describe('the offline code stage', () => {
  const CHANGE = { files: ['a.ts'], additions: 3, deletions: 1 };

  /** An in-memory GitHub holding issue #5, and a client of it as the Action would have. */
  function repository() {
    const github = new MemoryGitHub('example', 'repo', () => '2025-06-02T09:00:00.000Z');
    github.branchHead = (ref) => github.branches.get(ref)?.head;
    github.issues.set(5, { title: 'Dark mode', author: 'alice', labels: [], state: 'open', pull: false });
    const octokit = createOctokit({
      token: 'offline-action-token',
      resilient: false,
      fetch: memoryFetch(github),
    }) as unknown as Octo;
    return { github, octokit };
  }

  /** The run's state at `stage`, attempt `attempt`, with the pull request earlier stages opened. */
  function stateAt(workflow: Workflow, stage: string, attempt: number, pull?: number): RunState {
    const record = (attempt: number) => ({
      visits: 1,
      attempt,
      retries: 0,
      visit_retries: 0,
      approvals: [],
      rejections: [],
      usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
    });
    return {
      v: 1,
      id: '5-feature-0badcafe',
      workflow: workflow.name,
      definition: 'x',
      subject: { kind: 'issue', number: 5, author: 'alice', title: 'Dark mode', labels: ['ui'] },
      status: 'running',
      stage,
      stages: {
        ...(pull === undefined
          ? {}
          : {
              implement: {
                ...record(1),
                output: { attempt: 1, sha256: 'f'.repeat(40), pointer: { comment_id: 1, pull_number: pull } },
              },
            }),
        [stage]: record(attempt),
      },
      usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
      started_at: '2025-06-02T09:00:00.000Z',
      updated_at: '2025-06-02T09:00:00.000Z',
      history: [],
      history_trimmed: 0,
      seen: [],
      rev: 1,
    } as RunState;
  }

  async function runStage(
    setup: ReturnType<typeof repository>,
    workflow: Workflow,
    stage: string,
    state: RunState,
    overrides = noOverrides(),
  ) {
    const found = stageById(workflow, stage);
    const name = found?.provider ?? '';
    const provider = workflow.providers[name];
    if (found === undefined || provider?.use !== 'command') throw new Error(`${stage} is not a code stage`);
    return offlineCodeStage(
      setup.github,
      CHANGE,
      overrides,
    )({
      octokit: setup.octokit,
      issue: { owner: 'example', repo: 'repo', number: 5 },
      workflow,
      state,
      stage: found,
      name,
      provider,
      prompt: 'Implement this plan.',
      env: {},
    });
  }

  it('opens a pull request from the stage branch, through the same adapter a real code stage uses', async () => {
    const workflow = await example('plan-implement-review-revise');
    const setup = repository();
    const result = await runStage(setup, workflow, 'implement', stateAt(workflow, 'implement', 2));
    expect(result.pull_number).toBe(6);
    expect(result.head_sha).toMatch(/^[0-9a-f]{40}$/);
    expect(result.text).toBe(
      '**implement**, attempt 2: a simulated change by the agent `codex exec --json -`.\n\n' +
        `Opened pull request #6: 1 files changed (+3 -1), head ${result.head_sha.slice(0, 7)}.`,
    );
    expect(result.usage).toEqual({
      tokens_in: Math.ceil('Implement this plan.'.length / 4),
      tokens_out: Math.ceil(result.text.length / 4),
      cost_usd: 0,
    });
    const pull = setup.github.pulls.get(6);
    expect(pull).toMatchObject({
      head: result.head_sha,
      base: 'main',
      headRef: 'flowgate/5-implement',
      author: 'flowgate[bot]',
      title: 'implement: Dark mode (#5)',
    });
    expect(pull?.body).toContain('<!-- flowgate:pr issue=5 -->');
    expect(setup.github.pullFiles.get(6)).toEqual([
      {
        filename: 'a.ts',
        status: 'modified',
        additions: 3,
        deletions: 1,
        patch: '@@ -1,2 +1,2 @@\n // a.ts\n-// before implement\n+// implement, attempt 2',
      },
    ]);
    expect(setup.github.log).toContain('POST /repos/example/repo/pulls');
  });

  it("pushes a later code stage to the run's pull request, at a new head", async () => {
    const workflow = await example('plan-implement-review-revise');
    const setup = repository();
    const opened = await runStage(setup, workflow, 'implement', stateAt(workflow, 'implement', 1));
    const pushed = await runStage(
      setup,
      workflow,
      'revise',
      stateAt(workflow, 'revise', 1, opened.pull_number),
    );
    expect(pushed.pull_number).toBe(opened.pull_number);
    expect(pushed.head_sha).not.toBe(opened.head_sha);
    expect(pushed.text).toBe(
      '**revise**, attempt 1: a simulated change by the agent `codex exec --json -`.\n\n' +
        `Pushed to pull request #6: 1 files changed (+3 -1), head ${pushed.head_sha.slice(0, 7)}.`,
    );
    expect([...setup.github.pulls.keys()]).toEqual([6]);
    expect(setup.github.pulls.get(6)?.head).toBe(pushed.head_sha);
    expect(setup.github.branchHead('flowgate/5-implement')).toBe(pushed.head_sha);
  });

  it('makes the same commit for the same attempt, and another for the next', async () => {
    const workflow = await example('plan-implement-review-revise');
    const head = async (attempt: number) =>
      (await runStage(repository(), workflow, 'implement', stateAt(workflow, 'implement', attempt))).head_sha;
    expect(await head(1)).toBe(await head(1));
    expect(await head(1)).not.toBe(await head(2));
  });

  it('fails as the agent would when the script says so, and takes a scripted text', async () => {
    const workflow = await example('plan-implement-review-revise');
    const setup = repository();
    const overrides = noOverrides();
    overrides.answers.push(
      { stage: 'implement', silent: false, fail: 'the agent ran out of turns' },
      { stage: 'implement', silent: false, text: 'Done: see the pull request.' },
    );
    const state = stateAt(workflow, 'implement', 1);
    await expect(runStage(setup, workflow, 'implement', state, overrides)).rejects.toThrow(
      'the agent ran out of turns',
    );
    expect(setup.github.pulls.size).toBe(0);
    const result = await runStage(setup, workflow, 'implement', state, overrides);
    expect(result.text).toBe('Done: see the pull request.');
    expect(setup.github.pulls.get(result.pull_number)?.head).toBe(result.head_sha);
    expect(overrides.answers).toEqual([]);
  });
});
