import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseActionOutput } from '../../src/core/action-output.ts';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { type LoadedScript, loadScript } from '../../src/core/simulate/load-script.ts';
import { finalStatusLine, formatTranscript } from '../../src/core/simulate/transcript.ts';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { Workflow } from '../../src/core/workflow.ts';
import {
  DEMO_STATE_KEY,
  type GitHubSimulationOptions,
  type GitHubSimulationResult,
  simulateOnGitHub,
} from '../../src/simulate/simulate-on-github.ts';
import { loadClean, type RawWorkflow } from '../core/support.ts';
import { OTHER_PRIVATE_KEY } from '../support/state-keys.ts';

const EXAMPLES = readdirSync('workflows-examples')
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.replace(/\.yml$/, ''));

/** A workflow with the file it was loaded from, as `.github/flowgate/` would hold it. */
interface Source {
  workflow: Workflow;
  path: string;
  text: string;
}

async function fromText(path: string, text: string): Promise<Source> {
  const { workflow, diagnostics } = await loadWorkflow(path, text);
  if (workflow === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return { workflow, path, text };
}

function example(name: string): Promise<Source> {
  const path = `workflows-examples/${name}.yml`;
  return fromText(path, readFileSync(path, 'utf8'));
}

/** A workflow written as a plain object, which must load without findings. */
async function fromRaw(raw: RawWorkflow): Promise<Source> {
  const text = stringify(raw);
  return { workflow: await loadClean(text), path: 'flow.yml', text };
}

function script(workflow: Workflow, text: string, name = 'events.yml'): LoadedScript {
  const { loaded, diagnostics } = loadScript(name, text, workflow);
  if (loaded === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return loaded;
}

/** Simulates `source` with the script `text` (the default script without one). */
function simulate(
  source: Source,
  text?: string,
  options: Omit<GitHubSimulationOptions, 'file' | 'script'> = {},
): Promise<GitHubSimulationResult> {
  return simulateOnGitHub(source.workflow, {
    file: { path: source.path, text: source.text },
    ...(text === undefined ? {} : { script: script(source.workflow, text) }),
    ...options,
  });
}

/** Simulates a bundled example with its script from workflows-examples/scripts. */
async function withItsScript(name: string): Promise<GitHubSimulationResult> {
  const source = await example(name);
  const file = `workflows-examples/scripts/${name}.events.yml`;
  return simulateOnGitHub(source.workflow, {
    file: { path: source.path, text: source.text },
    script: script(source.workflow, readFileSync(file, 'utf8'), file),
  });
}

/** The transcript lines of the events whose one-line description matches `pattern`, with what they did. */
function eventsMatching(result: GitHubSimulationResult, pattern: RegExp): string[] {
  return result.entries
    .filter((e) => pattern.test(e.event))
    .map((e) => [e.event, ...e.history, ...e.effects.map((v) => `${v.label}: ${v.text}`)].join('\n'));
}

/** The visible text of the Action's output comments on the subject, as `stage@attempt kind: text`. */
function outputs(result: GitHubSimulationResult): { where: string; login: string; visible: string }[] {
  return result.github.comments.flatMap((c) => {
    const parsed = c.issue === result.subject.number ? parseActionOutput(c.body) : undefined;
    if (parsed?.ok !== true) return [];
    const o = parsed.output;
    return [{ where: `${o.stage}@${o.attempt} ${o.kind}`, login: c.login, visible: parsed.visible }];
  });
}

describe('flowgate simulate, on the in-memory GitHub', () => {
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

    it.each(EXAMPLES)(
      'runs %s to completed, through the expected stages',
      async (name) => {
        const result = await withItsScript(name);
        expect(result.outcome).toMatchObject({ kind: 'completed', status: 'completed' });
        expect(result.visited).toEqual(visits[name]);
        expect(result.warnings).toEqual([]);
        expect(finalStatusLine(result)).toMatch(
          new RegExp(`^completed: ${visits[name]?.join(' -> ')}; \\d+ events; `),
        );
      },
      30_000,
    );
  });

  describe('the scheduled content pipeline, started by its sweep', () => {
    it('posts no notice per item and sets the labels once, when the sweep is done with the item, as a sweep job does', async () => {
      const result = await withItsScript('scheduled-content-pipeline');
      const n = result.subject.number;
      const notices = result.github.comments
        .filter((c) => c.issue === n && c.login === result.github.botLogin)
        .flatMap((c) => /<!-- flowgate:reply (notify:\S+) -->/.exec(c.body)?.[1] ?? []);
      // The first edit waited at the gate from the sweep: no notice; the script's /retry reopened it: the app's.
      expect(notices).toEqual([expect.stringMatching(/^notify:\S+:edit:2:response$/)]);
      const labelled = result.entries.filter((e) =>
        formatTranscript({ ...result, entries: [e] }).some((line) => line.trim().startsWith('labels')),
      );
      expect(labelled[0]?.event).toBe(
        `the sweep is done with #${n}: its labels are set, and the sweep's end notice on its dashboard names it among the items waiting at edit and mentions their approvers`,
      );
    });
  });

  describe('the plan-implement-review-revise script', () => {
    const run = () => withItsScript('plan-implement-review-revise');

    it('starts the run as a person does: the trigger label, added by the issue author', async () => {
      const result = await run();
      expect(eventsMatching(result, /adds the label/)).toEqual([
        '@alice adds the label "flowgate:feature"\nstarted at plan — started by @alice\nlabels: +flowgate: plan',
      ]);
      expect(result.state?.id).toMatch(/^42-feature-[0-9a-f]{8}$/);
    });

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
          'labels: -flowgate: awaiting approval',
      ]);
      expect(eventsMatching(result, /^Action: response of plan, attempt 2/)[0]).toMatch(
        /^Action: response of plan, attempt 2: posted the response\nplan: output ready \(attempt 2\)\noutput: plan, attempt 2: response: \*\*plan\*\*, attempt 2: /,
      );
      expect(result.state?.stages.plan?.attempt).toBe(2);
      expect(result.state?.stages.plan?.feedback).toBe(
        'Keep the theme users already chose, and add a migration test for it.',
      );
      expect(result.state?.stages.plan?.approvals.map((a) => `${a.by}@${a.attempt}`)).toEqual(['bob@2']);
      // The offline model answers the prompt it is given: the retry prompt carries the rejected plan and the
      // feedback, so it is longer than the first prompt by more than the feedback.
      const promptLengths = outputs(result)
        .filter((o) => o.where.startsWith('plan@'))
        .map((o) => Number(/the (\d+)-character prompt/.exec(o.visible)?.[1]));
      expect(promptLengths).toHaveLength(2);
      expect((promptLengths[1] ?? 0) - (promptLengths[0] ?? 0)).toBeGreaterThan(
        'Keep the theme users already chose, and add a migration test for it.'.length,
      );
    });

    it('opens the code gate with a pull request review, then fails the first review and passes the second', async () => {
      const result = await run();
      const implemented = result.state?.stages.implement?.output?.sha256.slice(0, 7);
      expect(eventsMatching(result, /^review by/)).toEqual([
        `review by @carol: approved at ${implemented}: Small and tested.\n` +
          'implement: approved in a review by @carol\n' +
          'implement -> review — next\n' +
          'labels: +flowgate: review, -flowgate: implement, -flowgate: awaiting approval',
      ]);
      expect(result.state?.stages.implement?.approvals).toMatchObject([
        { by: 'carol', via: 'review', sha256: result.state?.stages.implement?.output?.sha256 },
      ]);
      expect(eventsMatching(result, /^Action: response of review/).map((e) => e.split('\n')[1])).toEqual([
        'review: output ready (attempt 1, verdict FAIL)',
        'review: output ready (attempt 2, verdict PASS)',
      ]);
      expect(result.visited).toEqual(['plan', 'implement', 'review', 'revise', 'review', 'done']);
    });

    it('is the same every time, to the character', async () => {
      const [first, second] = [await run(), await run()];
      expect(formatTranscript(first)).toEqual(formatTranscript(second));
      expect(first.statusComment).toEqual(second.statusComment);
      expect(first.github.comments).toEqual(second.github.comments);
    });

    it('leaves a status comment whose state block is signed with the demo key', async () => {
      const result = await run();
      expect(result.statusComment).toMatch(
        /^<!-- flowgate:status run=42-feature-[0-9a-f]{8} -->\n### flowgate · feature\n\n✅ \*\*Completed; the issue is closed at 2025-06-09 09:10 UTC unless someone comments before\*\*/,
      );
      expect(result.statusComment).toContain(
        '| [plan](https://github.com/example/repo/issues/42#issuecomment-',
      );
      const where = { id: 1, number: 42 };
      const decoded = decodeStateBlock(result.statusComment, DEMO_STATE_KEY, where);
      expect(decoded.ok && decoded.state.status).toBe('completed');
      expect(decoded.ok && decoded.state.stages.review?.attempt).toBe(2);
      expect(decodeStateBlock(result.statusComment, OTHER_PRIVATE_KEY, where).ok).toBe(false);
      expect(decodeStateBlock(result.statusComment, DEMO_STATE_KEY, { id: 2, number: 42 }).ok).toBe(false);
    });

    describe('leaves on GitHub what a person would see', () => {
      it('one pull request, opened by implement and pushed to by revise', async () => {
        const result = await run();
        const { github } = result;
        expect([...github.pulls.keys()]).toEqual([43]);
        const pull = github.pulls.get(43);
        expect(pull).toMatchObject({
          author: 'flowgate[bot]',
          base: 'main',
          headRef: 'flowgate/42-implement',
          title: 'implement: Add a dark mode to the settings page (#42)',
          head: result.state?.stages.revise?.output?.sha256,
        });
        expect(pull?.body).toContain('<!-- flowgate:pr issue=42 -->');
        expect(github.branchHead('flowgate/42-implement')).toBe(pull?.head);
        expect(result.state?.stages.implement?.output?.pointer.pull_number).toBe(43);
        expect(result.state?.stages.revise?.output?.pointer.pull_number).toBe(43);
        expect(pull?.head).not.toBe(result.state?.stages.implement?.output?.sha256);
        expect(eventsMatching(result, /^Action: response of (implement|revise)/).map(pullLine)).toEqual([
          `pull: #43 opened at ${result.state?.stages.implement?.output?.sha256.slice(0, 7)}`,
          `pull: #43 pushed to ${pull?.head.slice(0, 7)}`,
        ]);
      });

      it("the review at the implement head, the success check run at the pull request's head", async () => {
        const { github, state } = await run();
        expect(github.reviews.map((r) => [r.login, r.state, r.pull, r.commit_id])).toEqual([
          ['carol', 'APPROVED', 43, state?.stages.implement?.output?.sha256],
        ]);
        const head = github.pulls.get(43)?.head;
        expect(github.checkRuns.map((c) => [c.name, c.head_sha, c.status, c.conclusion])).toEqual([
          ['flowgate: feature', state?.stages.implement?.output?.sha256, 'completed', 'neutral'],
          ['flowgate: feature', head, 'completed', 'success'],
        ]);
      });

      it('the issue closed a week after the run completed, with its stage label', async () => {
        const result = await run();
        const issue = result.github.issues.get(42);
        expect(issue?.state).toBe('closed');
        expect(issue?.labels.sort()).toEqual(['flowgate: done', 'flowgate:feature']);
        expect(result.entries.at(-1)).toMatchObject({
          at: '2025-06-09T09:11:00.000Z',
          event: 'timer fired: 7 days after the run completed',
          effects: [
            {
              label: 'reply',
              text: 'The `feature` run completed 7 days ago and nobody commented since: closing this.',
            },
            { label: 'issue', text: 'closed' },
          ],
        });
      });

      it("the Action's outputs by github-actions[bot], flowgate's replies and status by flowgate[bot]", async () => {
        const result = await run();
        expect(outputs(result).map((o) => `${o.where} by ${o.login}`)).toEqual([
          'plan@1 response by github-actions[bot]',
          'plan@2 response by github-actions[bot]',
          'implement@1 response by github-actions[bot]',
          'review@1 response by github-actions[bot]',
          'revise@1 response by github-actions[bot]',
          'review@2 response by github-actions[bot]',
        ]);
        const others = result.github.comments.filter(
          (c) => c.issue === 42 && parseActionOutput(c.body)?.ok !== true,
        );
        const by = (login: string) => others.filter((c) => c.login === login).map((c) => c.body);
        expect(by('alice')).toEqual(['/approve']);
        expect(by('bob')).toHaveLength(2);
        expect(by('flowgate[bot]')[0]).toBe(result.statusComment);
        expect(by('flowgate[bot]').slice(1)).toEqual([
          expect.stringMatching(/^the output of "plan" waits for approval/),
          expect.stringMatching(/^@alice cannot approve: the author of this issue cannot approve it\./),
          expect.stringMatching(/^the output of "plan" waits for approval/),
          expect.stringMatching(
            /^the output of "implement" waits for approval by anyone with write permission/,
          ),
          expect.stringMatching(/^The `feature` run completed 7 days ago/),
        ]);
        expect(others.map((c) => c.login).sort()).toEqual(
          ['alice', 'bob', 'bob', ...by('flowgate[bot]').map(() => 'flowgate[bot]')].sort(),
        );
      });
    });
  });

  describe('without a script (the default script)', () => {
    it.each(EXAMPLES)(
      'completes %s with the simulated maintainer',
      async (name) => {
        const result = await simulate(await example(name));
        expect(result.outcome.kind).toBe('completed');
      },
      30_000,
    );

    it('has content approved by other maintainers than its writer, as many as the gate needs', async () => {
      const result = await simulate(await example('fully-manual'));
      expect(result.state?.stages.implement?.output?.by).toBe('maintainer');
      expect(result.state?.stages.implement?.approvals.map((a) => a.by)).toEqual([
        'maintainer-2',
        'maintainer-3',
      ]);
      expect(eventsMatching(result, /^\/submit by/)[2]).toMatch(
        /^\/submit by @maintainer \(\d+ characters of content\)\nreview: content from @maintainer, verdict PASS\n/,
      );
    });

    it('approves a review gate with a pull request review of the current head', async () => {
      const result = await simulate(await example('plan-implement-review-revise'));
      const head = result.state?.stages.implement?.output?.sha256.slice(0, 7);
      expect(result.entries.map((e) => e.event)).toContain(`review by @maintainer: approved at ${head}`);
      expect(result.github.reviews.map((r) => [r.login, r.commit_id.slice(0, 7)])).toEqual([
        ['maintainer', head],
      ]);
    });

    it('stops when nobody it knows may pass a gate, and says why', async () => {
      const source = await fromRaw(gated({ approver: 'manual', approvers: ['alice'] }));
      const result = await simulate(source, 'subject: { author: alice }\nfinish: default\n');
      expect(result.outcome).toEqual({
        kind: 'waiting',
        status: 'awaiting_approval',
        reason: 'waiting for approval of the response at stage "plan"; the default script stops here',
      });
    });

    it('stops when its step changes nothing, with the reply that says why', async () => {
      const source = await fromRaw(gated('manual'));
      const result = await simulate(
        source,
        'people: { maintainer: { permission: read } }\nfinish: default\n',
      );
      expect(result.outcome.reason).toBe(
        'waiting for approval of the response at stage "plan"; the default script cannot go on: @maintainer cannot approve: approving needs write permission on this repository, and @maintainer has read. Who may approve: anyone with write permission.',
      );
    });
  });

  describe('a run that never ends', () => {
    // Loads with a warning (unbounded-cycle): that is the point.
    const loop = () =>
      fromText(
        'loop.yml',
        stringify({
          version: 1,
          name: 'loop',
          providers: { writer: 'anthropic/claude-sonnet-4-5' },
          defaults: { gate: 'skip' },
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
        }),
      );

    /** The one 500-event run (it takes seconds), shared by the tests that read it. */
    let endless: Promise<GitHubSimulationResult> | undefined;
    const runForever = async () => {
      endless ??= loop().then((source) => simulate(source));
      return endless;
    };

    it('stops after 500 events and reports a stuck run', async () => {
      const result = await runForever();
      expect(result.events).toBe(500);
      expect(result.outcome.kind).toBe('stuck');
      expect(result.outcome.reason).toMatch(
        /^stuck: no final status after 500 events, waiting for the response of attempt 2\d\d at stage "p[io]ng"$/,
      );
      expect(finalStatusLine(result)).toMatch(
        /^stuck: no final status after 500 events, waiting for the response of attempt 2\d\d at stage "p[io]ng"; stages: ping -> pong -> ping -> pong -> ping -> pong -> … \d+ more … -> ping -> pong -> ping -> pong -> ping -> pong; 500 events; /,
      );
    }, 120_000);

    it('stops after fewer events when told to', async () => {
      const result = await simulate(await loop(), undefined, { maxEvents: 20 });
      expect(result.events).toBe(20);
      expect(finalStatusLine(result)).toMatch(
        /^stuck: no final status after 20 events, waiting for the response of attempt 10 at stage "pong"; stages: ping -> pong -> /,
      );
      expect(result.visited).toHaveLength(20);
    });

    // src bug: simulateOnGitHub takes the history an event added as `state.history.slice(from.history.length)`,
    // which is empty once the state keeps only its newest 50 entries (HISTORY_KEPT): from then on no event shows its
    // history and `visited` stops growing (a few dozen stages after 500 events, where each of the 499 stage
    // steps visits one). Remove `.fails` when src/simulate/simulate-on-github.ts counts `history_trimmed`.
    it('lists every stage visited in the 500 events, and the history of every event', async () => {
      const result = await runForever();
      expect(result.visited.length).toBeGreaterThan(400);
      expect(finalStatusLine(result)).toMatch(/ -> … 4\d\d more … -> /);
      expect(result.entries.at(-1)?.history).not.toEqual([]);
    }, 120_000);
  });

  describe('a stage that fails', () => {
    it('ends failed with the error when the script has nothing more', async () => {
      const source = await example('fully-automated');
      const result = await simulate(
        source,
        'steps:\n  - answer: { stage: implement, fail: "the agent ran out of turns" }\n',
      );
      expect(result.outcome).toEqual({
        kind: 'failed',
        status: 'failed',
        reason:
          'failed at stage "implement": stage "implement" failed: the agent ran out of turns; the script has no more steps',
      });
      expect(result.visited).toEqual(['plan', 'implement']);
      expect(eventsMatching(result, /./).at(-1)).toBe(
        'Action: response of implement, attempt 1: failed: the agent ran out of turns\n' +
          'failed — stage "implement" failed: the agent ran out of turns\n' +
          'output: implement, attempt 1: failure: flowgate could not run stage `implement` (attempt 1, step response): the agent ran out of turns',
      );
      expect(result.github.pulls.size).toBe(0);
    });

    it('times out when no answer arrives and the clock passes the deadline', async () => {
      const source = await example('two-models');
      const result = await simulate(
        source,
        'steps:\n  - answer: { stage: plan, silent: true }\n  - wait: 91m\n',
      );
      expect(result.outcome.reason).toBe(
        'failed at stage "plan": stage "plan" timed out: no response arrived by 2025-06-02T10:30:00.000Z; the script has no more steps',
      );
      expect(result.entries.map((e) => e.event)).toEqual([
        '@octocat adds the label "flowgate:pair"',
        'no response arrives for plan, attempt 1 (scripted): the run waits until 2025-06-02T10:30:00.000Z',
        'timer fired after waiting 1h 31m',
      ]);
      expect(result.entries.at(-1)?.at).toBe('2025-06-02T10:32:00.000Z');
      expect(outputs(result)).toEqual([]);
    });
  });

  describe('a script that runs out while the run waits for people', () => {
    it('stops there and says what the run waits for', async () => {
      const result = await simulate(await example('plan-implement-review-revise'), 'steps: []\n');
      expect(result.outcome).toEqual({
        kind: 'waiting',
        status: 'awaiting_approval',
        reason: 'waiting for approval of the response at stage "plan"; the script has no more steps',
      });
      expect(result.github.issues.get(result.subject.number)?.labels).toContain(
        'flowgate: awaiting approval',
      );
    });

    it('lets the default script finish the run with finish: default', async () => {
      const result = await simulate(
        await example('plan-implement-review-revise'),
        'people: { bob: { permission: maintain } }\nsteps:\n  - comment: { by: bob, body: /approve }\nfinish: default\n',
      );
      expect(result.outcome.kind).toBe('completed');
      expect(result.state?.stages.plan?.approvals.map((a) => a.by)).toEqual(['bob']);
    });

    it('warns about scripted answers that no dispatch used', async () => {
      const source = await example('fully-automated');
      const result = await simulate(
        source,
        'steps:\n  - answer: { stage: revise, fail: never }\n  - answer: { stage: revise, fail: never }\n',
      );
      expect(result.outcome.kind).toBe('failed');
      expect(result.warnings).toEqual([
        'the scripted answer for stage "revise" was never used: the stage was not dispatched again',
      ]);
      const late = await simulate(
        source,
        'steps:\n  - approver: { stage: plan, decision: approved }\n  - approver: { stage: plan, decision: approved }\n',
      );
      expect(late.outcome.kind).toBe('completed');
      expect(late.warnings).toEqual(['the scripted AI approver decision for stage "plan" was never used']);
    });
  });

  describe('comments', () => {
    it('takes in every command of a comment, as one event, and prints the lines that are not commands', async () => {
      const result = await simulate(
        await example('plan-implement-review-revise'),
        'people: { bob: { permission: maintain } }\nsteps:\n  - comment: { by: bob, body: "/aprove\\n/status\\n/approve" }\n',
      );
      const comments = result.entries.filter((e) => e.event.startsWith('comment by @bob'));
      expect(comments).toHaveLength(1);
      const [comment] = comments;
      expect(comment?.event).toBe('comment by @bob: /status; /approve');
      expect(comment?.notes).toEqual([expect.stringMatching(/^not a command \(line 1\): .*\/approve/)]);
      expect(comment?.history[0]).toBe('plan: response approved by @bob (1 of 1)');
      expect(comment?.effects.filter((e) => e.label === 'reply').map((e) => e.text)).toEqual([
        '"/aprove" is not a flowgate command (did you mean "/approve"?)',
        expect.stringMatching(/^`feature` waits for approval of the response at stage "plan"\./),
      ]);
    });
  });

  describe('a transition condition that does not hold yet', () => {
    it('waits in the stage, saying on what, until a label added later moves the run on', async () => {
      const path = 'test/fixtures/condition-wait.yml';
      const source = await fromText(path, readFileSync(path, 'utf8'));
      const waiting = await simulate(source);
      expect(waiting.outcome).toMatchObject({
        kind: 'waiting',
        reason: 'waiting for a transition condition at stage "plan"; the default script stops here',
      });
      expect(waiting.statusComment).toContain('Waiting in plan for a condition: "ready" in labels');
      const moved = await simulate(
        source,
        [
          'steps:',
          '  - label: { by: alice, name: documentation }',
          '  - label: { by: alice, name: ready }',
        ].join('\n'),
      );
      expect(moved.entries.map((e) => e.event).slice(2)).toEqual([
        '@alice adds the label "documentation"',
        '@alice adds the label "ready"',
        'Action: response of build, attempt 1: posted the response',
      ]);
      expect(moved.entries[2]?.history).toEqual([]);
      expect(moved.entries[3]?.history).toEqual([
        'plan -> build — when "ready" in labels && !("blocked" in labels)',
      ]);
      expect(moved.outcome.kind).toBe('completed');
    });
  });

  describe('a manual stage judged by an AI approver', () => {
    it('asks for new content with the feedback after a rejection, as on GitHub, and never for a response', async () => {
      const source = await fromRaw({
        version: 1,
        name: 'judged',
        providers: { checker: 'openai/gpt-5-mini' },
        stages: [
          {
            id: 'plan',
            mode: 'manual',
            instructions: 'Plan {{ subject.title }}',
            gate: { approver: 'ai:checker', max_retries: 1 },
          },
          { id: 'done' },
        ],
      });
      const result = await simulate(
        source,
        [
          'people: { alice: { permission: write } }',
          'steps:',
          '  - comment: { by: alice, body: "I will get to this tomorrow." }',
          '  - content: { by: alice, body: "1. Add the setting." }',
          '  - approver: { stage: plan, decision: rejected, feedback: "No rollback step." }',
          '  - content: { by: alice, body: "1. Add the setting. 2. Remove it to roll back." }',
          '  - approver: { stage: plan, decision: approved, feedback: "Good." }',
          '',
        ].join('\n'),
      );
      expect(result.outcome.kind).toBe('completed');
      expect(eventsMatching(result, /^comment by @alice/)).toEqual([
        'comment by @alice with no command: I will get to this tomorrow.',
      ]);
      const rejected = result.entries.find((e) =>
        e.history.some((h) => h.includes('rejected by ai:checker')),
      );
      expect(rejected?.effects.find((e) => e.label === 'reply')?.text).toContain(
        '**Sent back** by the AI approver `ai:checker` (attempt 1), with this feedback:\n\n```data: feedback\nNo rollback step.\n```',
      );
      expect(result.state?.stages.plan).toMatchObject({ attempt: 2, output: { by: 'alice' } });
      expect(result.entries.map((e) => e.event).filter((e) => e.startsWith('Action:'))).toEqual([
        'Action: approver of plan, attempt 1: posted the approver',
        'Action: approver of plan, attempt 2: posted the approver',
      ]);
    });
  });

  describe('a prompt gate', () => {
    it('renders the prompt, waits for its approval, and voids the approval when the prompt is edited', async () => {
      const source = await fromRaw(
        gated('skip', {
          prompt_gate: { approver: 'manual', min_approvals: 2 },
          instructions: 'Plan {{ subject.title }} for {{ subject.author }}:\n{{ subject.body }}',
        }),
      );
      const result = await simulate(
        source,
        [
          'subject: { title: Dark mode, author: alice, body: "Make it dark." }',
          'people: { bob: { permission: write } }',
          'steps:',
          '  - comment: { by: bob, body: /approve }',
          '  - edit: { stage: plan, step: prompt, by: alice }',
          'finish: default',
        ].join('\n'),
      );
      expect(result.outcome.kind).toBe('completed');
      expect(result.entries.map((e) => e.event).slice(0, 4)).toEqual([
        'comment by @alice: /flowgate start demo',
        'Action: prompt of plan, attempt 1: posted the prompt',
        'comment by @bob: /approve',
        'edit of the prompt of plan by @alice',
      ]);
      expect(outputs(result)[0]).toEqual({
        where: 'plan@1 prompt',
        login: 'github-actions[bot]',
        visible: expect.stringContaining(
          'Plan \n```data: subject.title\nDark mode\n```\n for alice:\n\n```data: subject.body\nMake it dark.\n```\n\n_Edited by @alice._',
        ),
      });
      expect(result.entries[2]?.history).toEqual(['plan: prompt approved by @bob (1 of 2)']);
      // The reconcile asks who last edited a comment of flowgate's (GraphQL's editor), as on GitHub.
      expect(result.entries[3]?.history).toEqual([
        'plan: prompt edited by @alice — approvals of the earlier text no longer count',
      ]);
      const plan = result.state?.stages.plan;
      expect(plan?.approvals.map((a) => `${a.step}:${a.by}`)).toEqual([
        'prompt:bob',
        'prompt:maintainer',
        'prompt:maintainer-2',
        'response:flowgate',
      ]);
      expect(plan?.approvals.filter((a) => a.sha256 === plan.prompt?.sha256).map((a) => a.by)).toEqual([
        'maintainer',
        'maintainer-2',
      ]);
    });

    it("renders the instructions with the Action's template engine, fencing text people wrote", async () => {
      const result = await simulate(
        await withPromptGates('plan-implement-review-revise'),
        'subject: { body: "Make it ```dark```." }\nfinish: default\n',
      );
      expect(result.outcome.kind).toBe('completed');
      const prompts = outputs(result).filter((o) => o.where.endsWith(' prompt'));
      expect(prompts.map((p) => p.where)).toEqual(['plan@1 prompt', 'review@1 prompt', 'review@2 prompt']);
      expect(prompts[0]?.visible).toContain('````data: subject.body\nMake it ```dark```.\n````');
      const plan = outputs(result).find((o) => o.where === 'plan@1 response')?.visible;
      expect(prompts[1]?.visible).toContain(
        'Review the pull request against the plan. End with PASS or FAIL.\n\n' +
          `Plan:\n\n\`\`\`data: outputs.plan\n${plan}\n\`\`\`\n`,
      );
    });

    it('gives a stage after a code stage the diff of the pull request the run opened', async () => {
      const result = await simulate(
        await withPromptGates('plan-implement-review-revise'),
        'subject: { pr: { files: [a.ts], additions: 3, deletions: 1 } }\nfinish: default\n',
      );
      const review = outputs(result).find((o) => o.where === 'review@1 prompt')?.visible;
      expect(review).toContain(
        '```data: pr.diff_summary\n1 file changed, 3 insertions(+), 1 deletion(-)\nM a.ts (+3 -1)\n',
      );
      expect(review).toContain(
        'diff --git a/a.ts b/a.ts\n@@ -1,2 +1,2 @@\n // a.ts\n-// before implement\n+// implement, attempt 1\n',
      );
    });
  });
});

describe('script files', () => {
  const problems = async (text: string) => {
    const { workflow } = await example('plan-implement-review-revise');
    return loadScript('events.yml', text, workflow).diagnostics.map(formatDiagnostic);
  };

  it('point at a misspelt step kind, with a suggestion', async () => {
    expect(await problems('steps:\n  - coment: { by: bob, body: /approve }\n')).toEqual([
      'events.yml:2:5: unknown field "coment" (did you mean "comment"?) (steps[0].coment)\n> 2 |   - coment: { by: bob, body: /approve }\n    |     ^',
    ]);
  });

  it('refuse a step that names two kinds', async () => {
    expect(await problems('steps:\n  - { push: { by: bob }, wait: 5m }\n')).toEqual([
      'events.yml:2:5: a step names exactly one kind, not push and wait; split it into 2 steps (steps[0])\n> 2 |   - { push: { by: bob }, wait: 5m }\n    |     ^',
    ]);
  });

  it('name the stages of the workflow when a step names another', async () => {
    expect(await problems('steps:\n  - answer: { stage: reveiw, verdict: pass }\n')).toEqual([
      'events.yml:2:22: workflow "feature" has no stage "reveiw" (did you mean "review"?) (steps[0].answer.stage)\n> 2 |   - answer: { stage: reveiw, verdict: pass }\n    |                      ^',
    ]);
    expect(await problems('steps:\n  - approver: { stage: plan, decision: approved }\n')).toEqual([
      'events.yml:2:24: stage "plan" has no AI approver (its gate is manual) (steps[0].approver.stage)\n> 2 |   - approver: { stage: plan, decision: approved }\n    |                        ^',
    ]);
  });

  it('refuse a wrong duration with the formats that work', async () => {
    expect((await problems('steps:\n  - wait: soon\n'))[0]).toMatch(
      /^events\.yml:2:11: must be a duration such as 30s, 5m, 2h or 1d/,
    );
  });
});

/** The `pull` effect of a transcript event (from eventsMatching). */
function pullLine(event: string): string | undefined {
  return event.split('\n').find((l) => l.startsWith('pull: '));
}

/** A bundled example whose plan and review stages post their prompts for approval, so a test can read them. */
async function withPromptGates(name: string): Promise<Source> {
  const raw = parse(readFileSync(`workflows-examples/${name}.yml`, 'utf8')) as { stages: RawWorkflow[] };
  for (const stage of raw.stages)
    if (stage.id === 'plan' || stage.id === 'review') stage.prompt_gate = { approver: 'manual' };
  return fromText(`${name}.yml`, stringify(raw));
}

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

describe('flowgate simulate, a file that writes no gate', () => {
  it("shows the model's output waiting for a person's /approve, as the app does, and the default script approving it", async () => {
    const text = [
      'version: 1',
      'name: ungated',
      'providers: { writer: anthropic/claude-sonnet-4-5 }',
      'stages:',
      '  - id: plan',
      '    provider: writer',
      '    instructions: Plan {{ subject.title }}',
      '  - id: done',
      '',
    ].join('\n');
    const result = await simulate(await fromText('ungated.yml', text));
    expect(result.outcome.kind).toBe('completed');
    const transcript = formatTranscript(result).join('\n');
    expect(transcript).toContain('the output of "plan" waits for approval by anyone with write permission');
    expect(transcript).toMatch(/comment by @\w+: \/approve/);
  });
});
