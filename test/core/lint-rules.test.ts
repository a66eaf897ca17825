import { describe, expect, it } from 'vitest';
import { load, minimal, type RawWorkflow, summary, withStages } from './support.ts';

const PLAN = { id: 'plan', provider: 'writer', instructions: 'Plan {{ subject.title }}' };
const DONE = { id: 'done' };

type Finding = ReturnType<typeof summary>;

interface Case {
  /** The rule, as a user sees it in `--format json` and in docs. */
  rule: string;
  /** When the rule speaks: a behaviour, read after the rule name. */
  when: string;
  /** A minimal valid workflow, mutated to trigger the rule. */
  broken: RawWorkflow;
  /** Every finding the broken workflow gives, in file order. */
  findings: Omit<Finding, 'rule'>[];
  /** The same workflow, put right: it loads without a single finding. */
  fixed: RawWorkflow;
}

const error = (path: string, message: string) => ({ severity: 'error' as const, path, message });
const warning = (path: string, message: string) => ({ severity: 'warning' as const, path, message });

const withTop = (top: RawWorkflow, ...stages: RawWorkflow[]) => ({ ...withStages(...stages), ...top });
const agent = { agent: { use: 'command', run: 'codex exec -' } };

const cases: Case[] = [
  {
    rule: 'duplicate-stage-id',
    when: 'two stages share an id',
    broken: withStages(PLAN, { ...PLAN, instructions: 'Plan again' }, DONE),
    findings: [error('stages[1].id', 'stage id "plan" is already used by stages[0]')],
    fixed: withStages(PLAN, { ...PLAN, id: 'replan', instructions: 'Plan again' }, DONE),
  },
  {
    rule: 'unknown-stage',
    when: 'next names no stage',
    broken: withStages({ ...PLAN, next: 'dnoe' }, DONE),
    findings: [
      error('stages[0].next', 'next stage "dnoe" is not a stage of this workflow (did you mean "done"?)'),
    ],
    fixed: withStages({ ...PLAN, next: 'done' }, DONE),
  },
  {
    rule: 'unknown-stage',
    when: 'a transition goes to no stage',
    broken: withStages({ ...PLAN, transitions: [{ to: 'ship', when: 'attempt > 1' }, 'done'] }, DONE),
    findings: [
      error('stages[0].transitions[0].to', 'transition target "ship" is not a stage of this workflow'),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt > 1' }, 'done'] }, DONE),
  },
  {
    rule: 'unknown-provider',
    when: 'a stage names a provider that is not declared',
    broken: withStages({ ...PLAN, provider: 'writter' }, DONE),
    findings: [
      error(
        'stages[0].provider',
        'provider "writter" is not declared under providers (declared: writer) (did you mean "writer"?)',
      ),
    ],
    fixed: withStages(PLAN, DONE),
  },
  {
    rule: 'unknown-provider',
    when: 'an AI approver is not declared',
    broken: withStages({ ...PLAN, gate: 'ai:checker' }, DONE),
    findings: [
      error('stages[0].gate', 'provider "checker" is not declared under providers (declared: writer)'),
    ],
    fixed: withTop(
      { providers: { writer: 'anthropic/m', checker: 'openai/m' } },
      { ...PLAN, gate: 'ai:checker' },
      DONE,
    ),
  },
  {
    rule: 'unknown-provider',
    when: 'defaults.provider is not declared and none are',
    broken: withTop(
      { providers: {}, defaults: { provider: 'writer', gate: 'skip' } },
      { id: 'plan', instructions: 'x' },
      DONE,
    ),
    findings: [
      error(
        'defaults.provider',
        'provider "writer" is not declared under providers (no providers are declared)',
      ),
    ],
    fixed: withTop(
      { defaults: { provider: 'writer', gate: 'skip' } },
      { id: 'plan', instructions: 'x' },
      DONE,
    ),
  },
  {
    rule: 'missing-provider',
    when: 'an ai stage names no provider and there is no default',
    broken: withStages({ id: 'plan', instructions: 'x' }, DONE),
    findings: [
      error(
        'stages[0]',
        'stage "plan" is an ai stage but names no provider (set provider, or defaults.provider)',
      ),
    ],
    fixed: withTop(
      { defaults: { provider: 'writer', gate: 'skip' } },
      { id: 'plan', instructions: 'x' },
      DONE,
    ),
  },
  {
    rule: 'replaces-existing-stage',
    when: 'a stage replaces one that still exists',
    broken: withStages({ ...PLAN, replaces: 'draft' }, { ...PLAN, id: 'draft' }, DONE),
    findings: [error('stages[0].replaces', 'stage "plan" replaces "draft", but "draft" still exists')],
    fixed: withStages({ ...PLAN, replaces: 'draft' }, DONE),
  },
  {
    rule: 'no-entry',
    when: 'every stage is marked as something else',
    broken: withStages({ ...PLAN, type: 'work' }, DONE),
    findings: [error('stages', 'no stage is an entry stage: mark one with type: entry')],
    fixed: withStages({ ...PLAN, type: 'entry' }, DONE),
  },
  {
    rule: 'no-terminal',
    when: 'the last stage leads back',
    broken: withStages(PLAN, { ...PLAN, id: 'check', gate: 'manual', next: 'plan' }),
    findings: [error('stages', 'no stage is a terminal stage: mark the end with type: terminal')],
    fixed: withStages(
      PLAN,
      { ...PLAN, id: 'check', gate: 'manual', transitions: [{ to: 'plan', when: 'attempt < 3' }, 'done'] },
      DONE,
    ),
  },
  {
    rule: 'terminal-has-exit',
    when: 'a terminal stage has next',
    broken: withStages(PLAN, { id: 'done', type: 'terminal', next: 'plan' }),
    findings: [error('stages[1].next', 'terminal stage "done" cannot have next: a run ends there')],
    fixed: withStages(PLAN, { id: 'done', type: 'terminal' }),
  },
  {
    rule: 'terminal-has-exit',
    when: 'a terminal stage has transitions',
    broken: withStages(PLAN, { id: 'done', type: 'terminal', transitions: ['plan'] }),
    findings: [
      error('stages[1].transitions', 'terminal stage "done" cannot have transitions: a run ends there'),
    ],
    fixed: withStages(PLAN, { id: 'done', type: 'terminal' }),
  },
  {
    rule: 'dead-end',
    when: 'a stage that is not the end has no way out',
    broken: withStages({ ...PLAN, next: 'done' }, { id: 'done', type: 'terminal' }, { ...PLAN, id: 'tidy' }),
    findings: [
      error(
        'stages[2]',
        'stage "tidy" has no way out: give it next or transitions, or make it type: terminal',
      ),
    ],
    fixed: withStages(
      { ...PLAN, next: 'tidy' },
      { id: 'done', type: 'terminal' },
      { ...PLAN, id: 'tidy', next: 'done' },
    ),
  },
  {
    rule: 'unreachable-stage',
    when: 'no way leads to a stage',
    broken: withStages({ ...PLAN, next: 'done' }, { ...PLAN, id: 'polish' }, DONE),
    findings: [error('stages[1]', 'stage "polish" cannot be reached from an entry stage')],
    fixed: withStages(PLAN, { ...PLAN, id: 'polish' }, DONE),
  },
  {
    rule: 'no-way-to-end',
    when: 'two stages only lead to each other',
    broken: withStages(
      { ...PLAN, transitions: [{ to: 'done', when: 'attempt > 1' }, 'draft'] },
      { ...PLAN, id: 'draft', gate: 'manual', next: 'redraft' },
      { ...PLAN, id: 'redraft', next: 'draft' },
      DONE,
    ),
    findings: [
      error('stages[1]', 'from stage "draft" no path leads to a terminal stage'),
      error('stages[2]', 'from stage "redraft" no path leads to a terminal stage'),
    ],
    fixed: withStages(
      { ...PLAN, transitions: [{ to: 'done', when: 'attempt > 1' }, 'draft'] },
      { ...PLAN, id: 'draft', gate: 'manual', next: 'redraft' },
      { ...PLAN, id: 'redraft', transitions: [{ to: 'draft', when: 'attempt < 3' }, 'done'] },
      DONE,
    ),
  },
  {
    rule: 'unbounded-cycle',
    when: 'a loop has no condition, person or retry limit to end it',
    broken: withStages(
      PLAN,
      {
        ...PLAN,
        id: 'check',
        verdict: true,
        transitions: [{ to: 'done', when: 'verdict == "pass"' }, 'plan'],
      },
      DONE,
    ),
    findings: [
      warning(
        'stages[0]',
        'the loop plan -> check has no bound: add a condition on attempt or retries, a human gate, or max_retries',
      ),
    ],
    fixed: withStages(
      PLAN,
      {
        ...PLAN,
        id: 'check',
        verdict: true,
        transitions: [{ to: 'plan', when: 'verdict == "fail" && attempt < 3' }, 'done'],
      },
      DONE,
    ),
  },
  {
    rule: 'unbounded-cycle',
    when: 'a stage loops to itself',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'size(labels) > 0' }, 'plan'] }, DONE),
    findings: [
      warning(
        'stages[0]',
        'the loop plan has no bound: add a condition on attempt or retries, a human gate, or max_retries',
      ),
    ],
    fixed: withStages(
      {
        ...PLAN,
        transitions: [{ to: 'done', when: 'size(labels) > 0' }, { to: 'plan', when: 'attempt < 3' }, 'done'],
      },
      DONE,
    ),
  },
  {
    rule: 'unbounded-cycle',
    when: 'max_retries sits on a gate that never rejects',
    broken: withStages(
      {
        ...PLAN,
        gate: { approver: 'skip', max_retries: 2 },
        transitions: [{ to: 'done', when: 'size(labels) > 0' }, 'plan'],
      },
      DONE,
    ),
    findings: [
      warning(
        'stages[0]',
        'the loop plan has no bound: add a condition on attempt or retries, a human gate, or max_retries',
      ),
    ],
    fixed: withTop(
      { providers: { writer: 'anthropic/claude-sonnet-4-5', checker: 'openai/gpt-5-mini' } },
      {
        ...PLAN,
        gate: { approver: 'ai:checker', max_retries: 2 },
        transitions: [{ to: 'done', when: 'size(labels) > 0' }, 'plan'],
      },
      DONE,
    ),
  },
  {
    rule: 'automated-human-gate',
    when: 'an automated workflow waits for a manual approver',
    broken: withTop({ mode: 'automated' }, { ...PLAN, gate: 'manual' }, DONE),
    findings: [
      error(
        'stages[0].gate',
        'an automated workflow cannot use the manual approver, which waits for a person (use skip or ai:<provider>, or mode: interactive)',
      ),
    ],
    fixed: withTop({ mode: 'automated' }, { ...PLAN, gate: 'ai:writer' }, DONE),
  },
  {
    rule: 'automated-human-gate',
    when: 'an automated workflow defaults to a manual gate',
    broken: withTop({ mode: 'automated', defaults: { gate: 'manual' } }, PLAN, DONE),
    findings: [
      error(
        'defaults.gate',
        'an automated workflow cannot use the manual approver, which waits for a person (use skip or ai:<provider>, or mode: interactive)',
      ),
    ],
    fixed: withTop({ mode: 'automated', defaults: { gate: 'skip' } }, PLAN, DONE),
  },
  {
    rule: 'automated-human-gate',
    when: 'an automated workflow has a manual stage',
    broken: withTop({ mode: 'automated' }, PLAN, { id: 'write', mode: 'manual' }, DONE),
    findings: [
      error(
        'stages[1].mode',
        'an automated workflow cannot have a manual stage: a person would have to supply the content',
      ),
    ],
    fixed: withTop({ mode: 'interactive' }, PLAN, { id: 'write', mode: 'manual' }, DONE),
  },
  {
    rule: 'review-without-pull-request',
    when: 'a review gate may have no pull request to review',
    broken: withStages({ ...PLAN, gate: 'review' }, DONE),
    findings: [
      error(
        'stages[0].gate',
        'the review approver waits for a pull request review, but stage "plan" may run without a pull request (set output: pull_request on this or an earlier stage, or on.subject: pull_request)',
      ),
    ],
    fixed: withTop(
      { providers: { writer: 'anthropic/m', ...agent } },
      { ...PLAN, provider: 'agent', mode: 'command', gate: 'review', output: 'pull_request' },
      DONE,
    ),
  },
  {
    rule: 'review-without-pull-request',
    when: 'only a later stage opens the pull request',
    broken: withTop(
      { providers: { writer: 'anthropic/m', ...agent } },
      { ...PLAN, gate: 'review' },
      { ...PLAN, id: 'build', provider: 'agent', mode: 'command', output: 'pull_request' },
      DONE,
    ),
    findings: [
      error(
        'stages[0].gate',
        'the review approver waits for a pull request review, but stage "plan" may run without a pull request (set output: pull_request on this or an earlier stage, or on.subject: pull_request)',
      ),
    ],
    fixed: withTop(
      { providers: { writer: 'anthropic/m', ...agent } },
      { ...PLAN, provider: 'agent', mode: 'command', output: 'pull_request' },
      { ...PLAN, id: 'build', gate: 'review' },
      DONE,
    ),
  },
  {
    rule: 'provider-kind',
    when: 'an ai stage uses a command agent',
    broken: withTop({ providers: agent }, { ...PLAN, provider: 'agent' }, DONE),
    findings: [
      error(
        'stages[0].provider',
        'stage "plan" is an ai stage but provider "agent" is a command agent (use mode: command)',
      ),
    ],
    fixed: withTop({ providers: agent }, { ...PLAN, provider: 'agent', mode: 'command' }, DONE),
  },
  {
    rule: 'provider-kind',
    when: 'a command stage uses a model',
    broken: withStages({ ...PLAN, mode: 'command' }, DONE),
    findings: [
      error(
        'stages[0].provider',
        'stage "plan" is a command stage but provider "writer" is a model (anthropic); a command stage needs use: command',
      ),
    ],
    fixed: withStages(PLAN, DONE),
  },
  {
    rule: 'provider-kind',
    when: 'an AI approver is a command agent',
    broken: withTop({ providers: { writer: 'anthropic/m', ...agent } }, { ...PLAN, gate: 'ai:agent' }, DONE),
    findings: [error('stages[0].gate', 'an AI approver must be a model, but "agent" is a command agent')],
    fixed: withTop({ providers: { writer: 'anthropic/m', ...agent } }, { ...PLAN, gate: 'ai:writer' }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'a stage that is not the end has archive',
    broken: withStages({ ...PLAN, archive: 7 }, DONE),
    findings: [
      error('stages[0].archive', 'archive applies when a run ends, but stage "plan" is not terminal'),
    ],
    fixed: withStages(PLAN, { ...DONE, archive: 7 }),
  },
  {
    rule: 'misplaced-field',
    when: 'an ai stage has run actions',
    broken: withStages({ ...PLAN, mode: 'ai', run: [{ comment: 'hi' }] }, DONE),
    findings: [error('stages[0].run', 'run lists actions of a system stage, but stage "plan" is ai')],
    fixed: withStages(PLAN, { id: 'tell', run: [{ comment: 'hi' }] }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'a system stage has nothing to run',
    broken: withStages(PLAN, { id: 'tell', mode: 'system' }, DONE),
    findings: [warning('stages[1]', 'system stage "tell" has no run actions, so it does nothing')],
    fixed: withStages(PLAN, { id: 'tell', mode: 'system', run: [{ comment: 'hi' }] }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'a system stage has a prompt gate',
    broken: withStages(PLAN, { id: 'tell', run: [{ comment: 'hi' }], prompt_gate: 'manual' }, DONE),
    findings: [error('stages[1].prompt_gate', 'prompt_gate needs a prompt, but stage "tell" is system')],
    fixed: withStages(PLAN, { id: 'tell', run: [{ comment: 'hi' }], gate: 'manual' }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'a system stage has instructions',
    broken: withStages(PLAN, { id: 'tell', run: [{ comment: 'hi' }], instructions: 'Say hi' }, DONE),
    findings: [warning('stages[1].instructions', 'instructions are ignored: stage "tell" is system')],
    fixed: withStages(PLAN, { id: 'tell', run: [{ comment: 'hi' }] }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'a manual stage writes a file',
    broken: withStages(PLAN, { id: 'notes', mode: 'manual', output: 'file:docs/notes.md' }, DONE),
    findings: [
      error(
        'stages[1].output',
        'file:docs/notes.md holds a model\'s answer, but stage "notes" is manual: only an ai stage writes its answer to a file',
      ),
    ],
    fixed: withStages(PLAN, { id: 'notes', mode: 'manual' }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'an ai stage says it opens a pull request',
    broken: withStages({ ...PLAN, output: 'pull_request' }, DONE),
    findings: [
      error(
        'stages[0].output',
        'a model\'s answer is text, so ai stage "plan" cannot open a pull request: give it a command provider (use: command) to change code, or use output: comment or file:<path>',
      ),
    ],
    fixed: withStages({ ...PLAN, output: 'file:docs/plan.md' }, DONE),
  },
  {
    rule: 'misplaced-field',
    when: 'a code stage writes a file',
    broken: withTop(
      { providers: { writer: 'anthropic/m', ...agent } },
      { ...PLAN, provider: 'agent', mode: 'command', output: 'file:plan.md' },
      DONE,
    ),
    findings: [
      error(
        'stages[0].output',
        'file:plan.md holds a model\'s answer, but stage "plan" is command: a code stage publishes its changes as a pull request (output: pull_request)',
      ),
    ],
    fixed: withTop(
      { providers: { writer: 'anthropic/m', ...agent } },
      { ...PLAN, provider: 'agent', mode: 'command', output: 'pull_request' },
      DONE,
    ),
  },
  {
    rule: 'misplaced-field',
    when: 'a terminal stage has a gate',
    broken: withStages(PLAN, { id: 'done', gate: 'manual' }),
    findings: [error('stages[1].gate', 'terminal stage "done" cannot have a gate: nothing follows it')],
    fixed: withStages({ ...PLAN, gate: 'manual' }, DONE),
  },
  {
    rule: 'missing-instructions',
    when: 'an ai stage has no instructions',
    broken: withStages({ id: 'plan', provider: 'writer' }, DONE),
    findings: [error('stages[0]', 'ai stage "plan" has no instructions to give the model')],
    fixed: withStages(PLAN, DONE),
  },
  {
    rule: 'missing-instructions',
    when: 'a command stage has no instructions',
    broken: withTop({ providers: agent }, { id: 'build', mode: 'command', provider: 'agent' }, DONE),
    findings: [error('stages[0]', 'command stage "build" has no instructions to give the agent')],
    fixed: withTop(
      { providers: agent },
      { id: 'build', mode: 'command', provider: 'agent', instructions: 'Build' },
      DONE,
    ),
  },
  {
    rule: 'label-too-long',
    when: 'the prefix and the id make a label longer than GitHub allows',
    broken: withTop(
      { labels: { prefix: 'flowgate feature workflow: ' } },
      { ...PLAN, id: 'write-the-implementation-plan' },
      DONE,
    ),
    findings: [
      error(
        'stages[0].id',
        'the label "flowgate feature workflow: write-the-implementation-plan" is longer than GitHub\'s 50 characters (shorten labels.prefix or the id, or set labels)',
      ),
    ],
    fixed: withTop(
      { labels: { prefix: 'flowgate feature workflow: ' } },
      { ...PLAN, id: 'write-the-implementation-plan', labels: 'flowgate: writing the plan' },
      DONE,
    ),
  },
  {
    rule: 'next-and-transitions',
    when: 'a stage has both',
    broken: withStages({ ...PLAN, next: 'done', transitions: ['done'] }, DONE),
    findings: [error('stages[0].next', 'stage "plan" has both next and transitions; keep one')],
    fixed: withStages({ ...PLAN, transitions: ['done'] }, DONE),
  },
  {
    rule: 'fallback-not-last',
    when: 'a transition without a condition comes before others',
    broken: withStages(
      {
        ...PLAN,
        transitions: ['done', { to: 'tell', when: 'attempt > 2' }, { to: 'tell', when: 'retries > 1' }],
      },
      { id: 'tell', run: [{ comment: 'hi' }] },
      DONE,
    ),
    findings: [
      error(
        'stages[0].transitions[0]',
        'this transition has no condition, so the 2 after it can never be taken; move it last',
      ),
    ],
    fixed: withStages(
      {
        ...PLAN,
        transitions: [{ to: 'tell', when: 'attempt > 2' }, { to: 'tell', when: 'retries > 1' }, 'done'],
      },
      { id: 'tell', run: [{ comment: 'hi' }] },
      DONE,
    ),
  },
  {
    rule: 'when-and-when-ai',
    when: 'a transition has both kinds of condition',
    broken: withStages(
      {
        ...PLAN,
        transitions: [{ to: 'done', when: 'attempt > 1', when_ai: 'the plan is complete' }, 'done'],
      },
      DONE,
    ),
    findings: [
      error(
        'stages[0].transitions[0]',
        'a transition has either when (a condition) or when_ai (words for the model), not both',
      ),
    ],
    fixed: withStages(
      { ...PLAN, transitions: [{ to: 'done', when_ai: 'the plan is complete' }, 'done'] },
      DONE,
    ),
  },
  {
    rule: 'invalid-condition',
    when: 'a condition reads a variable that does not exist',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'atempt > 1' }, 'done'] }, DONE),
    findings: [
      error(
        'stages[0].transitions[0].when',
        'invalid condition: unknown variable "atempt" (did you mean "attempt"?)',
      ),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt > 1' }, 'done'] }, DONE),
  },
  {
    rule: 'invalid-condition',
    when: 'a condition compares with bare text',
    broken: withStages(
      { ...PLAN, verdict: true, transitions: [{ to: 'done', when: 'verdict == pass' }, 'done'] },
      DONE,
    ),
    findings: [
      error(
        'stages[0].transitions[0].when',
        'invalid condition: unknown variable "pass" (a condition reads verdict, attempt, retries, outputs, labels, subject; text goes in quotes, e.g. "pass")',
      ),
    ],
    fixed: withStages(
      { ...PLAN, verdict: true, transitions: [{ to: 'done', when: 'verdict == "pass"' }, 'done'] },
      DONE,
    ),
  },
  {
    rule: 'invalid-condition',
    when: 'a condition stops half way',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt >' }, 'done'] }, DONE),
    findings: [error('stages[0].transitions[0].when', 'invalid condition: the condition ends too early')],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt > 2' }, 'done'] }, DONE),
  },
  {
    rule: 'invalid-condition',
    when: 'a condition uses = for ==',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt = 2' }, 'done'] }, DONE),
    findings: [
      error('stages[0].transitions[0].when', 'invalid condition: "=" is not a comparison; use "=="'),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt == 2' }, 'done'] }, DONE),
  },
  {
    rule: 'invalid-condition',
    when: 'a condition gives a number rather than true or false',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt + 1' }, 'done'] }, DONE),
    findings: [
      error(
        'stages[0].transitions[0].when',
        'invalid condition: a condition must give true or false, but this one gives int',
      ),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'attempt + 1 > 2' }, 'done'] }, DONE),
  },
  {
    rule: 'when-ai-needs-model',
    when: 'a system stage has when_ai',
    broken: withStages(
      PLAN,
      {
        id: 'route',
        run: [{ add_labels: 'routed' }],
        transitions: [{ to: 'done', when_ai: 'small' }, 'done'],
      },
      DONE,
    ),
    findings: [
      error(
        'stages[1].transitions[0].when_ai',
        'when_ai is decided by the stage\'s model, but stage "route" is system',
      ),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when_ai: 'small' }, 'done'] }, DONE),
  },
  {
    rule: 'verdict-without-verdict',
    when: 'a condition reads verdict on a stage that gives none',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: 'verdict == "pass"' }, 'done'] }, DONE),
    findings: [
      warning(
        'stages[0].transitions[0].when',
        'the condition reads verdict, but stage "plan" does not set verdict: true, so verdict is always ""',
      ),
    ],
    fixed: withStages(
      { ...PLAN, verdict: true, transitions: [{ to: 'done', when: 'verdict == "pass"' }, 'done'] },
      DONE,
    ),
  },
  {
    rule: 'transition-without-fallback',
    when: 'every transition of a stage has a condition',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when: '"ready" in labels' }] }, DONE),
    findings: [
      warning(
        'stages[0].transitions',
        'every transition of stage "plan" has a condition and none is a fallback: when none of its conditions holds, the run waits in the stage until one does (a label added, say) or someone moves it with /flowgate goto; add a last transition without a condition (e.g. "- escalate") unless that is what you want',
      ),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when: '"ready" in labels' }, 'done'] }, DONE),
  },
  {
    rule: 'transition-without-fallback',
    when: 'only the model could choose, and there is no fallback',
    broken: withStages({ ...PLAN, transitions: [{ to: 'done', when_ai: 'It is small' }] }, DONE),
    findings: [
      warning(
        'stages[0].transitions',
        'every transition of stage "plan" has a condition and none is a fallback: when the model chooses none of them, the run fails; add a last transition without a condition (e.g. "- escalate") unless that is what you want',
      ),
    ],
    fixed: withStages({ ...PLAN, transitions: [{ to: 'done', when_ai: 'It is small' }, 'done'] }, DONE),
  },
  {
    rule: 'verdict-value',
    when: 'a condition compares verdict with an upper-case PASS',
    broken: withStages(
      { ...PLAN, verdict: true, transitions: [{ to: 'done', when: 'verdict == "PASS"' }, 'done'] },
      DONE,
    ),
    findings: [
      warning(
        'stages[0].transitions[0].when',
        'verdict is "pass", "fail" or "" (lower case), so comparing it with "PASS" is never true',
      ),
    ],
    fixed: withStages(
      { ...PLAN, verdict: true, transitions: [{ to: 'done', when: 'verdict == "pass"' }, 'done'] },
      DONE,
    ),
  },
  {
    rule: 'one-action-per-item',
    when: 'one run item names two actions',
    broken: withStages({ id: 'tell', run: [{ add_labels: 'triaged', comment: 'Thanks!' }] }, DONE),
    findings: [
      error('stages[0].run[0]', 'an action names add_labels and comment; put each in its own list item'),
    ],
    fixed: withStages({ id: 'tell', run: [{ add_labels: 'triaged' }, { comment: 'Thanks!' }] }, DONE),
  },
  {
    rule: 'one-action-per-item',
    when: 'a run item names none',
    broken: withStages({ id: 'tell', run: [{}] }, DONE),
    findings: [
      error(
        'stages[0].run[0]',
        'an action names nothing to do (one of add_labels, remove_labels, comment, close, reopen, request_reviewers, assign, dispatch, webhook)',
      ),
    ],
    fixed: withStages({ id: 'tell', run: [{ close: true }] }, DONE),
  },
  {
    rule: 'template',
    when: 'instructions do not parse',
    broken: withStages({ ...PLAN, instructions: 'Plan {{ subject.title' }, DONE),
    findings: [error('stages[0].instructions', 'template error: "{{" is not closed with "}}"')],
    fixed: withStages(PLAN, DONE),
  },
  {
    rule: 'template',
    when: 'a tag is never closed',
    broken: withStages({ ...PLAN, instructions: '{% if subject.draft %}Draft' }, DONE),
    findings: [
      error(
        'stages[0].instructions',
        'template error: {% if subject.draft %} is not closed with {% endif %}',
      ),
    ],
    fixed: withStages({ ...PLAN, instructions: '{% if subject.draft %}Draft{% endif %}' }, DONE),
  },
  {
    rule: 'template',
    when: 'a filter does not exist',
    broken: withStages({ ...PLAN, instructions: '{{ subject.title | shout }}' }, DONE),
    findings: [error('stages[0].instructions', 'template error: unknown filter "shout"')],
    fixed: withStages({ ...PLAN, instructions: '{{ subject.title | upcase }}' }, DONE),
  },
  {
    rule: 'template',
    when: 'instructions read a variable the context lacks',
    broken: withStages({ ...PLAN, instructions: 'Plan {{ issue.title }}' }, DONE),
    findings: [
      warning(
        'stages[0].instructions',
        'the template reads "issue", which the prompt context does not have (it has subject, workflow, run, stage, outputs, feedback, ask_human, pr, comments)',
      ),
    ],
    fixed: withStages(PLAN, DONE),
  },
  {
    rule: 'template',
    when: 'a variable is misspelt',
    broken: withStages({ ...PLAN, instructions: 'Plan {{ subjet.title }}' }, DONE),
    findings: [
      warning(
        'stages[0].instructions',
        'the template reads "subjet", which the prompt context does not have (did you mean "subject"?)',
      ),
    ],
    fixed: withStages(PLAN, DONE),
  },
  {
    rule: 'template',
    when: 'a comment action does not parse',
    broken: withStages(PLAN, { id: 'tell', run: [{ comment: 'Done: {{ outputs.plan ' }] }, DONE),
    findings: [error('stages[1].run[0].comment', 'template error: "{{" is not closed with "}}"')],
    fixed: withStages(PLAN, { id: 'tell', run: [{ comment: 'Done: {{ outputs.plan }}' }] }, DONE),
  },
  {
    rule: 'template',
    when: 'ask_human does not parse',
    broken: withStages({ ...PLAN, gate: { approver: 'ai:writer', ask_human: 'If {% if x %}' } }, DONE),
    findings: [
      error('stages[0].gate.ask_human', 'template error: {% if x %} is not closed with {% endif %}'),
    ],
    fixed: withStages({ ...PLAN, gate: { approver: 'ai:writer', ask_human: 'If billing changes' } }, DONE),
  },
];

describe.each([...new Set(cases.map((c) => c.rule))])('the %s rule', (rule) => {
  describe.each(cases.filter((c) => c.rule === rule))('when $when', (c) => {
    it('reports it where the user must look, in plain words', async () => {
      const { diagnostics, workflow } = await load(c.broken);
      expect(diagnostics.map(summary)).toEqual(c.findings.map((f) => ({ rule, ...f })));
      const errors = c.findings.some((f) => f.severity === 'error');
      expect(workflow === undefined).toBe(errors);
    });

    it('is quiet once the file is put right', async () => {
      const { diagnostics, workflow } = await load(c.fixed);
      expect(diagnostics.map(summary)).toEqual([]);
      expect(workflow).toBeDefined();
    });
  });
});

describe('the minimal workflow the cases start from', () => {
  it('loads without findings', async () => {
    const { diagnostics } = await load(minimal());
    expect(diagnostics).toEqual([]);
  });
});

describe('a finding inside a condition or template', () => {
  it('points at the character in the file where the problem is', async () => {
    const text = [
      'version: 1',
      'name: demo',
      'providers: { writer: anthropic/m }',
      'stages:',
      '  - id: plan',
      '    provider: writer',
      '    instructions: |',
      '      Plan the change.',
      '      Title: {{ subject.title',
      '    transitions:',
      "      - { to: done, when: 'attempt > 1 && atempt < 3' }",
      '      - done',
      '  - id: done',
      'defaults: { gate: skip }',
      '',
    ].join('\n');
    const { diagnostics } = await load(text);
    expect(diagnostics.map((d) => [d.rule, d.line, d.col, d.sourceLine.slice(d.col - 1)])).toEqual([
      ['template', 9, 14, '{{ subject.title'],
      ['invalid-condition', 11, 43, "atempt < 3' }"],
    ]);
  });

  it('falls back to the start of the value, with the place in words, when escapes hide it', async () => {
    const text = [
      'version: 1',
      'name: demo',
      'providers: { writer: anthropic/m }',
      'stages:',
      '  - id: plan',
      '    provider: writer',
      '    instructions: "Plan \\u0021\\n{{ subject.title"',
      '  - id: done',
      'defaults: { gate: skip }',
      '',
    ].join('\n');
    const { diagnostics } = await load(text);
    expect(diagnostics.map((d) => [d.line, d.col, d.message])).toEqual([
      [7, 19, 'template error: "{{" is not closed with "}}" (template line 2, column 1)'],
    ]);
  });
});
