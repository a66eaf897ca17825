import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../src/core/engine/effects.ts';
import type { Actor, EngineEvent } from '../../../src/core/engine/events.ts';
import { PERMISSIONS } from '../../../src/core/schema/gate.ts';
import { FINAL_STATUSES, type RunState, RunStateSchema } from '../../../src/core/state/run-state.ts';
import { type ResolvedGate, stageById, type Workflow } from '../../../src/core/workflow.ts';
import { RunDriver, workflowOf } from './driver.ts';

/** Three example workflows: people at every gate, a review gate on code, and two models judging each other. */
const EXAMPLES = ['fully-manual.yml', 'plan-implement-review-revise.yml', 'two-models.yml'];

const workflows = await Promise.all(
  EXAMPLES.map((file) =>
    workflowOf(readFileSync(new URL(`../../../workflows-examples/${file}`, import.meta.url), 'utf8')),
  ),
);

const LOGINS = ['alice', 'bob', 'carol', 'author', 'dave'];
const SHAS = ['s1', 's2', 's3'];

const person = fc.record({
  login: fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...LOGINS) },
    { weight: 1, arbitrary: fc.constant('renovate[bot]') },
  ),
  permission: fc.constantFrom(...PERMISSIONS, 'none' as const),
  teams: fc.subarray(['acme/maintainers', 'acme/reviewers', 'acme/editors']),
  codeowner: fc.boolean(),
});

/** The stage a command names: one of the workflow's (by index), or none. */
const COMMANDS: [number, (stage: string) => string][] = [
  [8, () => '/approve'],
  [2, () => '/approve fine by me'],
  [1, () => '/approve --complete'],
  [1, () => '/approve --revise'],
  [2, () => '/reject not like this'],
  [2, () => '/retry'],
  [1, () => '/retry with more tests'],
  [1, () => '/pause'],
  [2, () => '/resume'],
  [1, () => '/status'],
  [1, () => '/flowgate help'],
  [1, () => '/flowgate start feature'],
  [1, (stage) => `/flowgate goto ${stage}`],
  [1, (stage) => `/flowgate goto ${stage} --force`],
];
const CANCEL: [number, (stage: string) => string] = [1, () => '/cancel'];

const command = fc.oneof(
  ...[...COMMANDS, CANCEL].map(([weight, make]) => ({ weight, arbitrary: fc.constant(make) })),
);

const usage = fc.record({
  tokens_in: fc.nat({ max: 120_000 }),
  tokens_out: fc.nat({ max: 60_000 }),
  cost_usd: fc.integer({ min: 0, max: 300 }).map((c) => c / 100),
});

/** What happens next, in terms of the run as it is then (so answers can carry the nonce the run waits for). */
const action = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('progress' as const),
      helper: fc.constantFrom('erin', 'frank'),
      verdict: fc.constantFrom('pass' as const, 'fail' as const),
      approve: fc.nat({ max: 3 }).map((n) => n > 0),
      resume: fc.boolean(),
      sha: fc.constantFrom(...SHAS),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      by: person,
      make: command,
      stage: fc.nat(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      honest: fc.boolean(),
      elsewhere: fc.boolean(),
      verdict: fc.constantFrom(undefined, 'pass' as const, 'fail' as const),
      sha: fc.constantFrom(...SHAS),
      usage,
      stage: fc.nat(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('ai' as const),
      honest: fc.boolean(),
      approved: fc.boolean(),
      usage,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('review' as const),
      by: person,
      state: fc.constantFrom('approved' as const, 'changes_requested' as const, 'commented' as const),
      current: fc.boolean(),
      sha: fc.constantFrom(...SHAS),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('submit' as const), by: person, sha: fc.constantFrom(...SHAS) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      by: fc.constantFrom(...LOGINS),
      sha: fc.constantFrom(...SHAS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      step: fc.constantFrom('prompt' as const, 'response' as const),
      sha: fc.constantFrom(...SHAS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('timer' as const), minutes: fc.integer({ min: 1, max: 150 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail' as const), honest: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
);

type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Someone every gate of the examples accepts. */
const helper = (login: string): Actor => ({
  login,
  permission: 'admin',
  teams: ['acme/maintainers', 'acme/reviewers', 'acme/editors'],
  codeowner: true,
  is_bot: false,
});

function perform(r: RunDriver, a: Action, applied: number[]): void {
  const ids = r.workflow.stages.map((s) => s.id);
  const pickStage = (n: number) => ids[n % ids.length] ?? r.stage;
  switch (a.kind) {
    case 'progress':
      helpAlong(r, a);
      return;
    case 'command':
      r.comment(a.by, a.make(pickStage(a.stage)));
      return;
    case 'answer':
      r.answer(a.elsewhere ? pickStage(a.stage) : r.stage, {
        ...(a.honest ? {} : { nonce: 'forged' }),
        ...(a.verdict === undefined ? {} : { verdict: a.verdict }),
        choice: pickStage(a.stage),
        sha: a.sha,
        usage: a.usage,
      });
      return;
    case 'ai':
      r.approverSays(a.approved ? 'approved' : 'rejected', 'feedback', {
        ...(a.honest ? {} : { nonce: 'forged' }),
        usage: a.usage,
      });
      return;
    case 'review':
      r.review(a.by, a.state, a.current ? r.state.subject.head_sha : a.sha);
      return;
    case 'submit':
      r.submit(a.by, a.sha);
      return;
    case 'push':
      r.push(a.sha, a.by);
      return;
    case 'edit':
      r.edit(r.stage, a.step, a.sha, 'carol');
      return;
    case 'timer':
      r.timer(a.minutes);
      return;
    case 'fail':
      r.failStage('runner lost', a.honest ? {} : { nonce: 'forged' });
      return;
    case 'replay': {
      const index = applied[a.pick % Math.max(applied.length, 1)] ?? 0;
      r.replay(index);
      return;
    }
  }
}

/** Does what the run waits for: the Action's answer, an AI decision, a person's content or approval. */
function helpAlong(
  r: RunDriver,
  a: { helper: string; verdict: 'pass' | 'fail'; approve: boolean; resume: boolean; sha: string },
): void {
  const wait = r.state.wait;
  const who = helper(a.helper);
  // A paused run is not always resumed at once: the work it waits for may arrive in the meantime.
  if ((r.state.status === 'paused' && a.resume) || r.state.status === 'failed') {
    r.comment(who, r.state.resume?.action === 'retry' || r.state.status === 'failed' ? '/retry' : '/resume');
  } else if (wait?.for === 'action' && wait.step === 'approver') {
    r.approverSays(a.approve ? 'approved' : 'rejected', 'feedback');
  } else if (wait?.for === 'action') {
    const choice = r.workflow.stages.find((s) => s.id === r.stage)?.transitions?.[0]?.to;
    r.answer(r.stage, {
      verdict: a.verdict,
      sha: `${a.sha}-${r.log.length}`,
      ...(choice === undefined ? {} : { choice }),
    });
  } else if (wait?.for === 'content') {
    r.submit(who, `${a.sha}-${r.log.length}`);
  } else if (wait?.for === 'approval') {
    const gate = r.workflow.stages.find((s) => s.id === r.stage);
    const approver = wait.step === 'prompt' ? gate?.prompt_gate.approver : gate?.gate.approver;
    if (approver === 'review') r.review(who, 'approved', r.state.subject.head_sha);
    else r.comment(who, '/approve');
  } else {
    r.timer(30);
  }
}

/** The actor behind each command and review, by event id, to judge the approvals they gave. */
function actors(r: RunDriver): Map<string, Actor> {
  const map = new Map<string, Actor>();
  for (const { event } of r.log) {
    if (event.type === 'command.received' || event.type === 'review.submitted')
      map.set(event.id, event.actor);
  }
  return map;
}

const RANK = ['read', 'triage', 'write', 'maintain', 'admin'];

/** The eligibility rules, written out again so the check does not trust the engine's own code. */
function mayApprove(actor: Actor, gate: ResolvedGate, author: string, supplier: string | undefined): boolean {
  const { users, teams, codeowners, permission } = gate.approvers;
  const same = (a: string, b: string | undefined) => a.toLowerCase() === b?.toLowerCase();
  if (actor.is_bot || RANK.indexOf(actor.permission) < RANK.indexOf(permission)) return false;
  const listed = users.length > 0 || teams.length > 0 || codeowners;
  const named =
    users.some((u) => same(u, actor.login)) ||
    actor.teams.some((t) => teams.some((team) => same(t, team))) ||
    (codeowners && actor.codeowner);
  if (listed && !named) return false;
  return gate.allow_author || (!same(actor.login, author) && !same(actor.login, supplier));
}

/** A gate on people (manual or review) that was waiting before `event`, and is passed after it. */
function passedPeopleGate(workflow: Workflow, before: RunState, after: RunState, event: EngineEvent) {
  const wait = before.wait;
  if (before.status !== 'awaiting_approval' || wait?.for !== 'approval') return undefined;
  if (
    event.type === 'command.received' &&
    ['goto', 'retry', 'cancel', 'reject', 'pause'].includes(event.command.kind)
  ) {
    return undefined;
  }
  const stage = stageById(workflow, before.stage);
  const gate = wait.step === 'prompt' ? stage?.prompt_gate : stage?.gate;
  if (stage === undefined || gate === undefined || (gate.approver !== 'manual' && gate.approver !== 'review'))
    return undefined;
  // A rejection of a manual stage's content (by command or review) asks for new content: the gate did not pass.
  const reopened = after.stage === before.stage && after.wait?.for === 'content';
  const still =
    reopened ||
    (after.stage === before.stage && after.wait?.for === 'approval' && after.wait.step === wait.step);
  if (still || after.status === 'paused') return undefined;
  return { stage, gate, step: wait.step };
}

function checkStep(
  workflow: Workflow,
  before: RunState,
  after: RunState,
  result: { changed: boolean; effects: Effect[] },
  event: EngineEvent,
  who: Map<string, Actor>,
): void {
  // A finished run never changes again.
  if (FINAL_STATUSES.includes(before.status)) {
    expect(result.changed).toBe(false);
    expect(after).toBe(before);
  }
  // rev goes up by exactly one per changed step; an unchanged step returns the same state.
  if (result.changed) {
    expect(after.rev).toBe(before.rev + 1);
    expect(after.seen).toContain(event.id);
  } else {
    expect(after).toBe(before);
  }
  // A paused run stays paused, and starts no new work, until a person resumes, retries, moves or cancels it.
  const unpausing =
    event.type === 'command.received' && ['resume', 'retry', 'goto', 'cancel'].includes(event.command.kind);
  if (before.status === 'paused' && !unpausing) {
    expect(['paused', 'failed']).toContain(after.status);
    expect(result.effects.filter((e) => e.type === 'dispatch' && e.step !== 'approver')).toEqual([]);
  }
  // The state always validates.
  const parsed = RunStateSchema.safeParse(JSON.parse(JSON.stringify(after)));
  expect(parsed.error?.issues ?? []).toEqual([]);
  // Approvals, rejections, history and usage are never lost.
  for (const [id, was] of Object.entries(before.stages)) {
    const now = after.stages[id];
    expect(now).toBeDefined();
    expect(now?.approvals.slice(0, was.approvals.length)).toEqual(was.approvals);
    expect(now?.rejections.slice(0, was.rejections.length)).toEqual(was.rejections);
    expect(now?.usage.tokens_in).toBeGreaterThanOrEqual(was.usage.tokens_in);
    expect(now?.usage.tokens_out).toBeGreaterThanOrEqual(was.usage.tokens_out);
    expect(now?.usage.cost_usd).toBeGreaterThanOrEqual(was.usage.cost_usd);
  }
  expect(after.usage.tokens_in).toBeGreaterThanOrEqual(before.usage.tokens_in);
  expect(after.usage.tokens_out).toBeGreaterThanOrEqual(before.usage.tokens_out);
  expect(after.usage.cost_usd).toBeGreaterThanOrEqual(before.usage.cost_usd);
  expect(after.history.slice(0, before.history.length)).toEqual(before.history);
  // A gate on people is passed only with min_approvals distinct eligible people approving the current content.
  const passed = passedPeopleGate(workflow, before, after, event);
  if (passed !== undefined) {
    const was = before.stages[before.stage];
    const rec = after.stages[before.stage];
    const sha = passed.step === 'prompt' ? was?.prompt?.sha256 : was?.output?.sha256;
    const counted = (rec?.approvals ?? []).filter(
      (a) => a.step === passed.step && a.attempt === was?.attempt && a.sha256 === sha && a.via !== 'skip',
    );
    const supplier =
      passed.step === 'response' && was?.output?.attempt === was?.attempt ? was?.output?.by : undefined;
    const eligible = counted.filter((a) => {
      const actor = who.get(a.event);
      return actor !== undefined && mayApprove(actor, passed.gate, before.subject.author, supplier);
    });
    expect(new Set(eligible.map((a) => a.by)).size).toBeGreaterThanOrEqual(passed.gate.min_approvals);
  }
}

describe.each(EXAMPLES.map((file, i) => [file, workflows[i] as Workflow] as const))(
  'a run of %s',
  (_file, workflow) => {
    it('keeps every invariant after every step of any sequence of events', () => {
      fc.assert(
        fc.property(fc.array(action, { minLength: 10, maxLength: 80, size: 'max' }), (actions) => {
          const r = new RunDriver(workflow, {});
          const applied = [0];
          for (const a of actions) {
            const before = r.state;
            perform(r, a, applied);
            const entry = r.log.at(-1);
            if (entry === undefined) throw new Error('nothing was sent');
            checkStep(workflow, before, r.state, r.last, entry.event, actors(r));
            if (r.last.changed) applied.push(r.log.length - 1);
            // Any event applied so far, delivered again, changes nothing and emits nothing.
            const index = applied[(actions.length * 7 + applied.length) % applied.length] ?? 0;
            const state = r.state;
            const again = r.replay(index);
            expect(again.changed).toBe(false);
            expect(again.effects).toEqual([]);
            expect(r.state).toBe(state);
          }
        }),
        { numRuns: 150 },
      );
    });
  },
);
