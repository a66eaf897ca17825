import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { type LoadedScript, loadScript } from '../../src/core/simulate/load-script.ts';
import { offlineAnswer } from '../../src/core/simulate/offline-provider.ts';
import { costOf, PRICES, priceOf } from '../../src/core/simulate/prices.ts';
import { runSimulation, type SimulationResult } from '../../src/core/simulate/run-simulation.ts';
import { DEMO_STATE_KEY } from '../../src/core/simulate/simulated-status-comment.ts';
import { finalStatusLine, formatTranscript } from '../../src/core/simulate/transcript.ts';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { Workflow } from '../../src/core/workflow.ts';
import { load, loadClean, type RawWorkflow } from './support.ts';

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

function script(workflow: Workflow, text: string, name = 'events.yml'): LoadedScript {
  const { loaded, diagnostics } = loadScript(name, text, workflow);
  if (loaded === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return loaded;
}

function exampleScript(workflow: Workflow, name: string): LoadedScript {
  const file = `workflows-examples/scripts/${name}.events.yml`;
  return script(workflow, readFileSync(file, 'utf8'), file);
}

/** The transcript lines of the events whose one-line description matches `pattern`, with what they did. */
function eventsMatching(result: SimulationResult, pattern: RegExp): string[] {
  return result.entries
    .filter((e) => pattern.test(e.event))
    .map((e) => [e.event, ...e.history, ...e.effects.map((v) => `${v.label}: ${v.text}`)].join('\n'));
}

describe('flowgate simulate', () => {
  describe('every bundled example, with its script', () => {
    const visits: Record<string, string[]> = {
      'fully-automated': ['plan', 'implement', 'review', 'revise', 'review', 'revise', 'review', 'done'],
      'fully-manual': ['plan', 'implement', 'review', 'done'],
      'human-in-the-loop-review': ['plan', 'implement', 'review', 'revise', 'review', 'done'],
      'plan-implement-review-revise': ['plan', 'implement', 'review', 'revise', 'review', 'done'],
      'scheduled-content-pipeline': ['outline', 'draft', 'edit', 'ready'],
      'triage-root-cause-fix': ['triage', 'root-cause', 'fix', 'fixed'],
      'two-models': ['plan', 'implement', 'review', 'revise', 'review', 'done'],
    };

    it('has a script for each example and an expectation for each script', () => {
      const scripts = readdirSync('workflows-examples/scripts').map((f) => f.replace(/\.events\.yml$/, ''));
      expect(scripts.sort()).toEqual([...EXAMPLES].sort());
      expect(Object.keys(visits).sort()).toEqual([...EXAMPLES].sort());
    });

    it.each(EXAMPLES)('runs %s to completed, through the expected stages', async (name) => {
      const workflow = await example(name);
      const result = runSimulation(workflow, { script: exampleScript(workflow, name) });
      expect(result.outcome).toMatchObject({ kind: 'completed', status: 'completed' });
      expect(result.visited).toEqual(visits[name]);
      expect(result.warnings).toEqual([]);
      expect(finalStatusLine(result)).toMatch(
        new RegExp(`^completed: ${visits[name]?.join(' -> ')}; \\d+ events; `),
      );
    });
  });

  describe('the plan-implement-review-revise script', () => {
    const run = async () => {
      const workflow = await example('plan-implement-review-revise');
      return runSimulation(workflow, { script: exampleScript(workflow, 'plan-implement-review-revise') });
    };

    it('refuses the approval of the plan by the issue author, with the reason', async () => {
      const result = await run();
      expect(eventsMatching(result, /^comment by @alice/)).toEqual([
        'comment by @alice: /approve\nreply: @alice cannot approve: the author of this issue cannot approve it. Who may approve: anyone with maintain permission.',
      ]);
    });

    it('runs the plan again with the feedback of /retry, and the new attempt addresses it', async () => {
      const result = await run();
      expect(eventsMatching(result, /\/retry/)).toEqual([
        'comment by @bob: /retry Keep the theme users already chose, and add a migration test for it.\n' +
          'plan: retry requested by @bob — Keep the theme users already chose, and add a migration test for it.\n' +
          'dispatch: plan, attempt 2: response (nonce sim4), deadline 11:03\nlabels: -flowgate: awaiting approval',
      ]);
      expect(result.state?.stages.plan?.attempt).toBe(2);
      expect(result.state?.stages.plan?.approvals.map((a) => `${a.by}@${a.attempt}`)).toEqual(['bob@2']);
    });

    it('opens the code gate with a pull request review, then fails the first review and passes the second', async () => {
      const result = await run();
      expect(eventsMatching(result, /^review by/)[0]).toMatch(
        /^review by @carol: approved at [0-9a-f]{7}: Small and tested\.\nimplement: approved in a review by @carol\n/,
      );
      expect(
        result.entries.filter((e) => e.event.startsWith('response.received review')).map((e) => e.event),
      ).toEqual([
        expect.stringMatching(/^response\.received review, attempt 1: verdict FAIL, /),
        expect.stringMatching(/^response\.received review, attempt 2: verdict PASS, /),
      ]);
    });

    it('is the same every time, to the character', async () => {
      expect(formatTranscript(await run())).toEqual(formatTranscript(await run()));
    });

    it('leaves a status comment whose state block is signed with the demo key', async () => {
      const result = await run();
      expect(result.statusComment).toMatch(
        /^<!-- flowgate:status run=sim-feature-42 -->\n### flowgate · feature\n\n✅ \*\*Completed\*\*/,
      );
      expect(result.statusComment).toContain(
        '| [plan](https://github.com/example/repo/issues/42#issuecomment-',
      );
      const decoded = decodeStateBlock(result.statusComment, DEMO_STATE_KEY, { id: 1, number: 42 });
      expect(decoded.ok && decoded.state.status).toBe('completed');
      expect(decoded.ok && decoded.state.stages.review?.attempt).toBe(2);
    });
  });

  describe('without a script (the default script)', () => {
    it.each(EXAMPLES)('completes %s with the simulated maintainer', async (name) => {
      const result = runSimulation(await example(name));
      expect(result.outcome.kind).toBe('completed');
    });

    it('has content approved by other maintainers than its writer, as many as the gate needs', async () => {
      const result = runSimulation(await example('fully-manual'));
      expect(result.state?.stages.implement?.output?.by).toBe('maintainer');
      expect(result.state?.stages.implement?.approvals.map((a) => a.by)).toEqual([
        'maintainer-2',
        'maintainer-3',
      ]);
      expect(eventsMatching(result, /^content for review/)[0]).toMatch(
        /^content for review by @maintainer \(\d+ characters, verdict PASS\)/,
      );
    });

    it('approves a review gate with a pull request review of the current head', async () => {
      const result = runSimulation(await example('plan-implement-review-revise'));
      const head = result.state?.stages.implement?.output?.sha256.slice(0, 7);
      expect(result.entries.map((e) => e.event)).toContain(`review by @maintainer: approved at ${head}`);
    });

    it('stops when nobody it knows may pass a gate, and says why', async () => {
      const workflow = await loadClean(gated({ approver: 'manual', approvers: ['alice'] }));
      const result = runSimulation(workflow, {
        script: script(workflow, 'subject: { author: alice }\nfinish: default\n'),
      });
      expect(result.outcome).toEqual({
        kind: 'waiting',
        status: 'awaiting_approval',
        reason: 'waiting for approval of the response at stage "plan"; the default script stops here',
      });
    });

    it('stops when its step changes nothing, with the reply that says why', async () => {
      const workflow = await loadClean(gated('manual'));
      const result = runSimulation(workflow, {
        script: script(workflow, 'people: { maintainer: { permission: read } }\nfinish: default\n'),
      });
      expect(result.outcome.reason).toBe(
        'waiting for approval of the response at stage "plan"; the default script cannot go on: @maintainer cannot approve: approving needs write permission on this repository, and @maintainer has read. Who may approve: anyone with write permission.',
      );
    });
  });

  describe('a run that never ends', () => {
    it('stops after 500 events and reports a stuck run', async () => {
      const { workflow } = await load({
        version: 1,
        name: 'loop',
        providers: { writer: 'anthropic/claude-sonnet-4-5' },
        stages: [
          { id: 'ping', provider: 'writer', instructions: 'ping', next: 'pong' },
          {
            id: 'pong',
            provider: 'writer',
            instructions: 'pong',
            transitions: [{ to: 'done', when: 'attempt > 100000' }, 'ping'],
          },
          { id: 'done' },
        ],
      });
      if (workflow === undefined) throw new Error('the loop did not load');
      const result = runSimulation(workflow);
      expect(result.events).toBe(500);
      expect(result.outcome.kind).toBe('stuck');
      expect(finalStatusLine(result)).toMatch(
        /^stuck: no final status after 500 events, waiting for the response of attempt 2\d\d at stage "p[io]ng"; stages: ping -> pong -> ping -> pong -> ping -> pong -> … 4\d\d more … -> ping -> pong -> ping -> pong -> ping -> pong; 500 events; /,
      );
    });
  });

  describe('a stage that fails', () => {
    it('ends failed with the error when the script has nothing more', async () => {
      const workflow = await example('fully-automated');
      const result = runSimulation(workflow, {
        script: script(
          workflow,
          'steps:\n  - answer: { stage: implement, fail: "the agent ran out of turns" }\n',
        ),
      });
      expect(result.outcome).toEqual({
        kind: 'failed',
        status: 'failed',
        reason:
          'failed at stage "implement": stage "implement" failed: the agent ran out of turns; the script has no more steps',
      });
      expect(result.visited).toEqual(['plan', 'implement']);
      expect(result.entries.at(-1)?.event).toBe(
        'stage.failed implement, attempt 1 (scripted): the agent ran out of turns',
      );
    });

    it('times out when no answer arrives and the clock passes the deadline', async () => {
      const workflow = await example('two-models');
      const result = runSimulation(workflow, {
        script: script(workflow, 'steps:\n  - answer: { stage: plan, silent: true }\n  - wait: 91m\n'),
      });
      expect(result.outcome.reason).toBe(
        'failed at stage "plan": stage "plan" timed out: no response arrived by 2025-06-02T10:30:00.000Z; the script has no more steps',
      );
      expect(result.entries.at(-1)?.at).toBe('2025-06-02T10:32:00.000Z');
    });
  });

  describe('a script that runs out while the run waits for people', () => {
    it('stops there and says what the run waits for', async () => {
      const workflow = await example('plan-implement-review-revise');
      const result = runSimulation(workflow, { script: script(workflow, 'steps: []\n') });
      expect(result.outcome).toEqual({
        kind: 'waiting',
        status: 'awaiting_approval',
        reason: 'waiting for approval of the response at stage "plan"; the script has no more steps',
      });
    });

    it('lets the default script finish the run with finish: default', async () => {
      const workflow = await example('plan-implement-review-revise');
      const result = runSimulation(workflow, {
        script: script(
          workflow,
          'people: { bob: { permission: maintain } }\nsteps:\n  - comment: { by: bob, body: /approve }\nfinish: default\n',
        ),
      });
      expect(result.outcome.kind).toBe('completed');
      expect(result.state?.stages.plan?.approvals.map((a) => a.by)).toEqual(['bob']);
    });

    it('warns about scripted answers that no dispatch used', async () => {
      const workflow = await example('fully-automated');
      const result = runSimulation(workflow, {
        script: script(
          workflow,
          'steps:\n  - answer: { stage: revise, fail: never }\n  - answer: { stage: revise, fail: never }\n',
        ),
      });
      expect(result.outcome.kind).toBe('failed');
      const late = runSimulation(workflow, {
        script: script(
          workflow,
          'steps:\n  - approver: { stage: plan, decision: approved }\n  - approver: { stage: plan, decision: approved }\n',
        ),
      });
      expect(late.outcome.kind).toBe('completed');
      expect(late.warnings).toEqual(['the scripted AI approver decision for stage "plan" was never used']);
    });
  });

  describe('comments', () => {
    it('turns every command of a comment into an event and prints the lines that are not commands', async () => {
      const workflow = await example('plan-implement-review-revise');
      const result = runSimulation(workflow, {
        script: script(
          workflow,
          'people: { bob: { permission: maintain } }\nsteps:\n  - comment: { by: bob, body: "/aprove\\n/status\\n/approve" }\n',
        ),
      });
      const [status, approve] = result.entries.filter((e) => e.event.startsWith('comment by @bob'));
      expect(status?.event).toBe('comment by @bob: /status');
      expect(status?.notes).toEqual([expect.stringMatching(/^not a command \(line 1\): .*\/approve/)]);
      expect(approve?.history[0]).toBe('plan: response approved by @bob (1 of 1)');
    });
  });

  describe('a prompt gate', () => {
    it('renders the prompt, waits for its approval, and voids the approval when the prompt is edited', async () => {
      const workflow = await loadClean(
        gated('skip', {
          prompt_gate: { approver: 'manual', min_approvals: 2 },
          instructions: 'Plan {{ subject.title }} for {{ subject.author }}:\n{{ subject.body }}',
        }),
      );
      const result = runSimulation(workflow, {
        script: script(
          workflow,
          [
            'subject: { title: Dark mode, author: alice, body: "Make it dark." }',
            'people: { bob: { permission: write } }',
            'steps:',
            '  - comment: { by: bob, body: /approve }',
            '  - edit: { stage: plan, step: prompt, by: alice }',
            'finish: default',
          ].join('\n'),
        ),
      });
      expect(result.outcome.kind).toBe('completed');
      expect(result.entries.map((e) => e.event).slice(0, 4)).toEqual([
        'run.started by @alice: demo on issue #1 "Dark mode"',
        expect.stringMatching(/^prompt\.rendered plan, attempt 1 \(\d+ characters\)$/),
        'comment by @bob: /approve',
        'edit of the prompt of plan by @alice',
      ]);
      expect(result.entries[3]?.history).toEqual([
        'plan: prompt edited by @alice — approvals of the earlier text no longer count',
      ]);
      expect(result.state?.stages.plan?.approvals.map((a) => `${a.step}:${a.by}`)).toEqual([
        'prompt:bob',
        'prompt:maintainer',
        'prompt:maintainer-2',
        'response:flowgate',
      ]);
    });
  });
});

describe('the offline provider', () => {
  const run = (workflow: Workflow, stage: string, attempt: number, texts: Record<string, string> = {}) => ({
    workflow,
    state: {
      v: 1 as const,
      id: 'r1',
      workflow: workflow.name,
      definition: 'x',
      subject: { kind: 'issue' as const, number: 5, author: 'alice', title: 'Dark mode', labels: ['ui'] },
      status: 'running' as const,
      stage,
      stages: {
        [stage]: {
          visits: 1,
          attempt,
          retries: 0,
          visit_retries: 0,
          approvals: [],
          rejections: [],
          usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
          ...(attempt > 1 ? { feedback: 'Add tests.' } : {}),
        },
      },
      usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
      started_at: '2025-06-02T09:00:00.000Z',
      updated_at: '2025-06-02T09:00:00.000Z',
      history: [],
      history_trimmed: 0,
      seen: [],
      rev: 1,
    },
    subject: {
      kind: 'issue' as const,
      number: 5,
      author: 'alice',
      title: 'Dark mode',
      body: 'Make it ```dark```.',
      labels: ['ui'],
      comments: [],
      pr: { files: ['a.ts'], additions: 3, deletions: 1 },
    },
    texts,
    prompts: {},
  });

  it('renders the instructions with the real template engine, fencing text people wrote', async () => {
    const workflow = await example('plan-implement-review-revise');
    const result = offlineAnswer({
      run: run(workflow, 'review', 1, { plan: 'Step 1.' }),
      stage: 'review',
      step: 'prompt',
    });
    expect(result.step === 'prompt' && result.text).toBe(
      'Review the pull request against the plan. End with PASS or FAIL.\n\n' +
        'Plan: ```data: outputs.plan\nStep 1.\n```\n' +
        'Diff: ```data: pr.diff_summary\n1 files changed, 3 insertions(+), 1 deletions(-)\n```\n',
    );
    const plan = offlineAnswer({ run: run(workflow, 'plan', 1), stage: 'plan', step: 'prompt' });
    expect(plan.step === 'prompt' && plan.text).toContain(
      '````data: subject.body\nMake it ```dark```.\n````',
    );
  });

  it('says FAIL on the first attempt of a verdict stage and PASS afterwards, unless the script says otherwise', async () => {
    const workflow = await example('plan-implement-review-revise');
    const verdict = (attempt: number, answer?: { text?: string; verdict?: 'pass' | 'fail' }) => {
      const r = offlineAnswer({
        run: run(workflow, 'review', attempt),
        stage: 'review',
        step: 'response',
        ...(answer ? { answer: { stage: 'review', silent: false, ...answer } } : {}),
      });
      return r.step === 'response' ? [r.verdict, r.text.split('\n').at(-1)] : r.step;
    };
    expect(verdict(1)).toEqual(['fail', 'Verdict: FAIL']);
    expect(verdict(2)).toEqual(['pass', 'Verdict: PASS']);
    expect(verdict(2, { verdict: 'fail' })).toEqual(['fail', 'Verdict: FAIL']);
    expect(verdict(1, { text: 'Looks right.\n\n**Verdict:** PASS' })).toEqual(['pass', '**Verdict:** PASS']);
    expect(verdict(1, { text: 'Looks right.\n\n**Verdict:** PASS', verdict: 'fail' })).toEqual([
      'fail',
      '**Verdict:** FAIL',
    ]);
  });

  it('mentions the stage, the attempt and the feedback, and opens a pull request for code', async () => {
    const workflow = await example('plan-implement-review-revise');
    const r = offlineAnswer({ run: run(workflow, 'implement', 2), stage: 'implement', step: 'response' });
    expect(r.step === 'response' && r.text).toMatch(
      /^\*\*implement\*\*, attempt 2: a simulated answer by the agent `codex exec --json -`\.\n\nOpened pull request #6: 1 files changed \(\+3 -1\), head [0-9a-f]{7}\.\n\nThis attempt addresses the feedback: Add tests\.$/,
    );
    expect(r.step === 'response' && r.sha256).toMatch(/^[0-9a-f]{40}$/);
    expect(r.step === 'response' && r.pointer).toEqual({ pull_number: 6 });
  });

  it('picks the first when_ai transition unless the script chooses another', async () => {
    const workflow = await example('triage-root-cause-fix');
    const choice = (chosen?: string) => {
      const r = offlineAnswer({
        run: run(workflow, 'triage', 1),
        stage: 'triage',
        step: 'response',
        ...(chosen ? { answer: { stage: 'triage', choice: chosen, silent: false } } : {}),
      });
      return r.step === 'response' ? r.choice : undefined;
    };
    expect(choice()).toBe('root-cause');
    expect(choice('not-a-bug')).toBe('not-a-bug');
  });

  it('approves as an AI approver unless the script rejects, priced at the approver model', async () => {
    const workflow = await example('two-models');
    const approve = offlineAnswer({
      run: run(workflow, 'plan', 1, { plan: 'x'.repeat(400) }),
      stage: 'plan',
      step: 'approver',
    });
    expect(approve).toMatchObject({ step: 'approver', decision: 'approved', usage: { tokens_in: 200 } });
    const reject = offlineAnswer({
      run: run(workflow, 'plan', 1),
      stage: 'plan',
      step: 'approver',
      decision: { stage: 'plan', decision: 'rejected', feedback: 'No.' },
    });
    expect(reject).toMatchObject({ step: 'approver', decision: 'rejected', feedback: 'No.', scripted: true });
    if (approve.step !== 'approver') throw new Error('not an approver decision');
    expect(approve.usage.cost_usd).toBe(
      costOf(
        PRICES['claude-sonnet-4-5'] ?? { input_per_mtok: 0, output_per_mtok: 0 },
        200,
        approve.usage.tokens_out,
      ),
    );
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
    const models = EXAMPLES.flatMap((name) => {
      const text = readFileSync(`workflows-examples/${name}.yml`, 'utf8');
      return [...text.matchAll(/model: ([\w.:-]+)|(?:anthropic|openai|google)\/([\w.:-]+)/g)].map(
        (m) => m[1] ?? m[2],
      );
    });
    expect(models.filter((m) => m !== undefined && PRICES[m] === undefined)).toEqual([]);
  });
});

describe('script files', () => {
  const problems = async (text: string) => {
    const workflow = await example('plan-implement-review-revise');
    return loadScript('events.yml', text, workflow).diagnostics.map(formatDiagnostic);
  };

  it('point at a misspelt step kind, with a suggestion', async () => {
    expect(await problems('steps:\n  - coment: { by: bob, body: /approve }\n')).toEqual([
      'events.yml:2:5: unknown field "coment" (did you mean "comment"?) (steps[0].coment)\n    - coment: { by: bob, body: /approve }\n      ^',
    ]);
  });

  it('refuse a step that names two kinds', async () => {
    expect(await problems('steps:\n  - { push: { by: bob }, wait: 5m }\n')).toEqual([
      'events.yml:2:5: a step names exactly one kind, not push and wait; split it into 2 steps (steps[0])\n    - { push: { by: bob }, wait: 5m }\n      ^',
    ]);
  });

  it('name the stages of the workflow when a step names another', async () => {
    expect(await problems('steps:\n  - answer: { stage: reveiw, verdict: pass }\n')).toEqual([
      'events.yml:2:22: workflow "feature" has no stage "reveiw" (did you mean "review"?) (steps[0].answer.stage)\n    - answer: { stage: reveiw, verdict: pass }\n                       ^',
    ]);
    expect(await problems('steps:\n  - approver: { stage: plan, decision: approved }\n')).toEqual([
      'events.yml:2:24: stage "plan" has no AI approver (its gate is manual) (steps[0].approver.stage)\n    - approver: { stage: plan, decision: approved }\n                         ^',
    ]);
  });

  it('refuse a wrong duration with the formats that work', async () => {
    expect((await problems('steps:\n  - wait: soon\n'))[0]).toMatch(
      /^events\.yml:2:11: must be a duration such as 30s, 5m, 2h or 1d/,
    );
  });
});

/** A two-stage workflow whose `plan` stage has the given gate. */
function gated(gate: unknown, extra: RawWorkflow = {}): RawWorkflow {
  return {
    version: 1,
    name: 'demo',
    providers: { writer: 'anthropic/claude-sonnet-4-5' },
    stages: [
      { id: 'plan', provider: 'writer', instructions: 'Plan {{ subject.title }}', gate, ...extra },
      { id: 'done' },
    ],
  };
}
