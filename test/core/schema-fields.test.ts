import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/core/workflow.ts';
import { load, loadClean, minimal, type RawWorkflow, summary, withStages } from './support.ts';

const PLAN = { id: 'plan', provider: 'writer', instructions: 'Plan {{ subject.title }}' };
const DEFAULT_APPROVERS = { users: [], teams: [], codeowners: false, permission: 'write' };

/** The first stage of a workflow whose plan stage carries `fields`. */
async function planWith(fields: RawWorkflow, top: RawWorkflow = {}) {
  const workflow = await loadClean({
    ...minimal(),
    ...top,
    stages: [{ ...PLAN, ...fields }, { id: 'done' }],
  });
  const [plan] = workflow.stages;
  if (plan === undefined) throw new Error('no stage');
  return plan;
}

/** The one schema finding a workflow with `top` fields produces. */
async function schemaFinding(top: RawWorkflow) {
  const { diagnostics, workflow } = await load({ ...minimal(), ...top });
  expect(workflow).toBeUndefined();
  expect(diagnostics).toHaveLength(1);
  return summary(diagnostics[0] as (typeof diagnostics)[number]);
}

describe('providers', () => {
  describe('written as the "kind/model" shorthand', () => {
    it.each([
      ['anthropic/claude-sonnet-4-5', { use: 'anthropic', model: 'claude-sonnet-4-5', timeout_seconds: 300 }],
      ['openai/gpt-5-mini', { use: 'openai', model: 'gpt-5-mini', timeout_seconds: 300 }],
      ['google/gemini-2.5-pro', { use: 'google', model: 'gemini-2.5-pro', timeout_seconds: 300 }],
      ['openai/org/fine-tuned', { use: 'openai', model: 'org/fine-tuned', timeout_seconds: 300 }],
    ])('reads %j as %j', async (shorthand, provider) => {
      const workflow = await loadClean({ ...minimal(), providers: { writer: shorthand } });
      expect(workflow.providers.writer).toEqual(provider);
    });

    it.each(['claude-sonnet-4-5', 'anthropic', 'ollama/qwen3', 'openai-compatible/qwen3', 'command/codex'])(
      'refuses %j and shows the forms it takes',
      async (shorthand) => {
        expect(await schemaFinding({ providers: { writer: shorthand } })).toEqual({
          rule: 'schema',
          severity: 'error',
          path: 'providers.writer',
          message: `a provider shorthand reads "anthropic/<model>", "openai/<model>" or "google/<model>", not "${shorthand}"`,
        });
      },
    );
  });

  describe('written in full', () => {
    it.each([
      [
        { use: 'anthropic', model: 'm' },
        { use: 'anthropic', model: 'm', timeout_seconds: 300 },
      ],
      [
        { use: 'openai', model: 'm', temperature: 0.2, timeout_seconds: 60 },
        { use: 'openai', model: 'm', temperature: 0.2, timeout_seconds: 60 },
      ],
      [
        { use: 'openai-compatible', model: 'qwen3', base_url: 'http://localhost:11434/v1' },
        {
          use: 'openai-compatible',
          model: 'qwen3',
          base_url: 'http://localhost:11434/v1',
          timeout_seconds: 300,
        },
      ],
      [
        { use: 'google', model: 'm', price: { input_per_mtok: 1, output_per_mtok: 2 } },
        { use: 'google', model: 'm', price: { input_per_mtok: 1, output_per_mtok: 2 }, timeout_seconds: 300 },
      ],
    ])('keeps %j, filling in the call timeout', async (written, provider) => {
      const workflow = await loadClean({ ...minimal(), providers: { writer: written } });
      expect(workflow.providers.writer).toEqual(provider);
    });

    it('gives a command agent 5 iterations of 30 minutes', async () => {
      const workflow = await loadClean({
        ...minimal(),
        providers: {
          ...(minimal().providers as RawWorkflow),
          agent: { use: 'command', run: 'codex exec -' },
        },
      });
      expect(workflow.providers.agent).toEqual({
        use: 'command',
        run: 'codex exec -',
        max_iterations: 5,
        timeout_minutes: 30,
      });
    });

    it.each([
      [{ use: 'openai' }, 'providers.writer.model', 'missing required field "model"'],
      [{ use: 'command' }, 'providers.writer.run', 'missing required field "run"'],
      [
        { use: 'openai-compatible', model: 'm' },
        'providers.writer.base_url',
        'missing required field "base_url"',
      ],
      [
        { model: 'm' },
        'providers.writer.use',
        'missing required field "use": one of anthropic, openai, openai-compatible, google, command',
      ],
      [
        { use: 'antropic', model: 'm' },
        'providers.writer.use',
        'must be one of anthropic, openai, openai-compatible, google, command, not "antropic" (did you mean "anthropic"?)',
      ],
      [{ use: 'openai', model: 'm', temperature: 3 }, 'providers.writer.temperature', 'must be at most 2'],
      [
        { use: 'command', run: 'x', max_iterations: 0 },
        'providers.writer.max_iterations',
        'must be at least 1',
      ],
      [
        { use: 'command', run: 'x', pass_env: ['ANTHROPIC API KEY'] },
        'providers.writer.pass_env[0]',
        'must be an environment variable name such as ANTHROPIC_API_KEY, not "ANTHROPIC API KEY"',
      ],
      [
        { use: 'openai', model: 'm', base_url: 'localhost' },
        'providers.writer.base_url',
        'must be a URL starting with https:// or http://, not "localhost"',
      ],
      [
        { use: 'openai-compatible', model: 'm', base_url: 'http://x', api_key_env: 'key' },
        'providers.writer.api_key_env',
        'must be an environment variable name such as LOCAL_API_KEY, not "key"',
      ],
      [
        { use: 'anthropic', model: 'm', run: 'x' },
        'providers.writer.run',
        'the field "run" is not allowed with use: anthropic',
      ],
      [
        { use: 'command', run: 'x', modle: 'm' },
        'providers.writer.modle',
        'unknown field "modle" (did you mean "model"?)',
      ],
    ])('refuses %j at %s: %s', async (written, path, message) => {
      expect(await schemaFinding({ providers: { writer: written } })).toEqual({
        rule: 'schema',
        severity: 'error',
        path,
        message,
      });
    });
  });

  it('refuses a provider name with a space', async () => {
    expect(await schemaFinding({ providers: { writer: 'anthropic/m', 'my writer': 'anthropic/m' } })).toEqual(
      {
        rule: 'schema',
        severity: 'error',
        path: 'providers["my writer"]',
        message:
          'the name "my writer" is not allowed: must be 1-40 letters, digits, "-" or "_", starting with a letter',
      },
    );
  });
});

describe('gate', () => {
  describe('written as a bare approver', () => {
    it.each(['skip', 'manual', 'review', 'ai:checker'])(
      'means { approver: %s } with the defaults',
      async (approver) => {
        const plan = await planWith(
          { gate: approver, mode: 'command', provider: 'agent', output: 'pull_request' },
          {
            providers: {
              writer: 'anthropic/m',
              checker: 'openai/m',
              agent: { use: 'command', run: 'agent -' },
            },
          },
        );
        expect(plan.gate).toEqual({
          approver,
          min_approvals: 1,
          allow_author: false,
          approvers: DEFAULT_APPROVERS,
          max_retries: 3,
        });
      },
    );

    it('takes approvers and max_retries from defaults', async () => {
      const plan = await planWith(
        { gate: 'manual' },
        { defaults: { approvers: ['octocat'], max_retries: 7 } },
      );
      expect(plan.gate).toEqual({
        approver: 'manual',
        min_approvals: 1,
        allow_author: false,
        approvers: { ...DEFAULT_APPROVERS, users: ['octocat'] },
        max_retries: 7,
      });
    });
  });

  describe('written in full', () => {
    it('keeps every field it names and fills in the rest', async () => {
      const plan = await planWith({
        gate: {
          approver: 'manual',
          approvers: { teams: ['acme/leads'], permission: 'maintain' },
          min_approvals: 2,
        },
      });
      expect(plan.gate).toEqual({
        approver: 'manual',
        approvers: { users: [], teams: ['acme/leads'], codeowners: false, permission: 'maintain' },
        min_approvals: 2,
        allow_author: false,
        max_retries: 3,
      });
    });

    it('lets its own max_retries win over defaults', async () => {
      const plan = await planWith(
        { gate: { approver: 'skip', max_retries: 0 } },
        { defaults: { max_retries: 9 } },
      );
      expect(plan.gate.max_retries).toBe(0);
    });

    it.each([
      [
        { approver: 'manul' },
        'stages[0].gate.approver',
        'must be skip, manual, review or ai:<provider>, not "manul" (did you mean "manual"?)',
      ],
      [{ approvers: ['octocat'] }, 'stages[0].gate.approver', 'missing required field "approver"'],
      [{ approver: 'manual', min_approvals: 0 }, 'stages[0].gate.min_approvals', 'must be at least 1'],
      [
        { approver: 'manual', min_approvals: 1.5 },
        'stages[0].gate.min_approvals',
        'must be a whole number, not 1.5',
      ],
      [{ approver: 'skip', max_retries: 21 }, 'stages[0].gate.max_retries', 'must be at most 20'],
      [
        { approver: 'skip', allow_author: 'yes' },
        'stages[0].gate.allow_author',
        'must be true or false, not "yes"',
      ],
      [
        { approver: 'skip', ask_humn: 'x' },
        'stages[0].gate.ask_humn',
        'unknown field "ask_humn" (did you mean "ask_human"?)',
      ],
    ])('refuses %j at %s: %s', async (gate, path, message) => {
      expect(await schemaFinding({ stages: [{ ...PLAN, gate }, { id: 'done' }] })).toEqual({
        rule: 'schema',
        severity: 'error',
        path,
        message,
      });
    });
  });

  describe('left out', () => {
    it('is defaults.gate, which is skip unless set', async () => {
      expect((await planWith({})).gate).toEqual({
        approver: 'skip',
        min_approvals: 1,
        allow_author: false,
        approvers: DEFAULT_APPROVERS,
        max_retries: 3,
      });
      expect((await planWith({}, { defaults: { gate: 'manual' } })).gate.approver).toBe('manual');
    });

    it('is manual on ai and command stages when the file writes no defaults.gate, skip on the others and in automated workflows', async () => {
      const { defaults: _, ...bare } = minimal();
      const stages = [
        { id: 'plan', provider: 'writer', instructions: 'Plan' },
        { id: 'build', mode: 'command', provider: 'agent', instructions: 'Build' },
        { id: 'write', mode: 'manual' },
        { id: 'label', run: [{ add_labels: ['x'] }] },
        { id: 'done' },
      ];
      const providers = {
        writer: 'anthropic/claude-sonnet-4-5',
        agent: { use: 'command', run: 'codex exec -' },
      };
      const result = await load({ ...bare, providers, stages });
      const gates = (w: Workflow | undefined) => w?.stages.map((s) => `${s.id}:${s.gate.approver}`);
      expect(gates(result.workflow)).toEqual([
        'plan:manual',
        'build:manual',
        'write:skip',
        'label:skip',
        'done:skip',
      ]);
      expect(result.workflow?.defaults.gate).toBeUndefined();
      expect(result.diagnostics.map((d) => `${d.rule} ${String(d.path)}`)).toEqual([
        'implicit-approval-gate stages[0]',
        'implicit-approval-gate stages[1]',
      ]);
      const automated = await loadClean({
        ...bare,
        mode: 'automated',
        providers,
        stages: [stages[0], stages[1], stages[4]],
      });
      expect(gates(automated)).toEqual(['plan:skip', 'build:skip', 'done:skip']);
    });
  });
});

describe('prompt_gate', () => {
  it('is skip when left out, whatever defaults.gate says', async () => {
    const plan = await planWith({}, { defaults: { gate: 'manual' } });
    expect(plan.prompt_gate).toEqual({
      approver: 'skip',
      min_approvals: 1,
      allow_author: false,
      approvers: DEFAULT_APPROVERS,
      max_retries: 3,
    });
  });

  it('takes the same shorthand as gate', async () => {
    expect((await planWith({ prompt_gate: 'manual' })).prompt_gate.approver).toBe('manual');
  });
});

describe('approvers', () => {
  describe('written as a list', () => {
    it.each([
      [['octocat'], { users: ['octocat'], teams: [] }],
      [['@octocat', 'hubot'], { users: ['octocat', 'hubot'], teams: [] }],
      [['acme/leads', '@acme/devs'], { users: [], teams: ['acme/leads', 'acme/devs'] }],
      [['octocat', 'acme/leads', '@hubot'], { users: ['octocat', 'hubot'], teams: ['acme/leads'] }],
      [[], { users: [], teams: [] }],
    ])('reads %j as users and org/teams, without "@"', async (list, split) => {
      const plan = await planWith({ gate: { approver: 'manual', approvers: list } });
      expect(plan.gate.approvers).toEqual({ ...split, codeowners: false, permission: 'write' });
    });

    it('refuses a name that is not a GitHub user or team', async () => {
      expect(
        await schemaFinding({
          stages: [{ ...PLAN, gate: { approver: 'manual', approvers: ['octo cat'] } }, { id: 'done' }],
        }),
      ).toEqual({
        rule: 'schema',
        severity: 'error',
        path: 'stages[0].gate.approvers[0]',
        message: 'must be a GitHub user name or "org/team-slug", not "octo cat"',
      });
    });
  });

  describe('written in full', () => {
    it('fills in users, teams, codeowners and permission', async () => {
      const workflow = await loadClean({
        ...minimal(),
        defaults: { approvers: { codeowners: true }, gate: 'skip' },
      });
      expect(workflow.defaults.approvers).toEqual({
        users: [],
        teams: [],
        codeowners: true,
        permission: 'write',
      });
    });

    it.each([
      [
        { permission: 'owner' },
        'defaults.approvers.permission',
        'must be one of read, triage, write, maintain, admin, not "owner"',
      ],
      [{ teams: ['leads'] }, 'defaults.approvers.teams[0]', 'must read "org/team-slug", not "leads"'],
      [{ user: ['octocat'] }, 'defaults.approvers.user', 'unknown field "user" (did you mean "users"?)'],
    ])('refuses %j at %s: %s', async (approvers, path, message) => {
      expect(await schemaFinding({ defaults: { approvers } })).toEqual({
        rule: 'schema',
        severity: 'error',
        path,
        message,
      });
    });
  });

  it('are anyone with write permission when left out', async () => {
    expect((await loadClean(minimal())).defaults.approvers).toEqual(DEFAULT_APPROVERS);
  });
});

describe('transitions', () => {
  it.each([
    ['done', { to: 'done' }],
    [{ to: 'done' }, { to: 'done' }],
    [
      { to: 'done', when: 'attempt > 1' },
      { to: 'done', when: 'attempt > 1' },
    ],
    [
      { to: 'done', when_ai: 'the plan is complete' },
      { to: 'done', when_ai: 'the plan is complete' },
    ],
  ])('reads %j as %j', async (written, transition) => {
    // A conditional transition gets a fallback after it, as lint wants (transition-without-fallback).
    const fallback = typeof written === 'object' && ('when' in written || 'when_ai' in written);
    const plan = await planWith({ transitions: fallback ? [written, 'done'] : [written] });
    expect(plan.transitions?.[0]).toEqual(transition);
  });

  it.each([
    [[], 'stages[0].transitions', 'must list at least 1 item'],
    [[{ when: 'attempt > 1' }], 'stages[0].transitions[0].to', 'missing required field "to"'],
    [[{ to: 'done', when: '' }], 'stages[0].transitions[0].when', 'must not be empty'],
    [
      ['Not An Id'],
      'stages[0].transitions[0]',
      'must be 1-40 letters, digits, "-" or "_", starting with a letter or digit, not "Not An Id"',
    ],
  ])('refuses %j at %s: %s', async (transitions, path, message) => {
    expect(await schemaFinding({ stages: [{ ...PLAN, transitions }, { id: 'done' }] })).toEqual({
      rule: 'schema',
      severity: 'error',
      path,
      message,
    });
  });
});

describe('archive', () => {
  it.each([
    [7, { after_days: 7, lock: false }],
    [0, { after_days: 0, lock: false }],
    [{ after_days: 3 }, { after_days: 3, lock: false }],
    [
      { after_days: 3, lock: true },
      { after_days: 3, lock: true },
    ],
  ])('reads %j as %j', async (archive, expected) => {
    const workflow = await loadClean(withStages(PLAN, { id: 'done', archive }));
    expect(workflow.stages[1]?.archive).toEqual(expected);
  });

  it.each([
    [-1, 'stages[1].archive', 'must be at least 0'],
    ['7d', 'stages[1].archive', 'must be a number or a mapping of fields, not "7d"'],
    [{ lock: true }, 'stages[1].archive.after_days', 'missing required field "after_days"'],
  ])('refuses %j at %s: %s', async (archive, path, message) => {
    expect(await schemaFinding({ stages: [PLAN, { id: 'done', archive }] })).toEqual({
      rule: 'schema',
      severity: 'error',
      path,
      message,
    });
  });
});

describe('stage labels', () => {
  it.each([
    ['planning', ['planning']],
    [
      ['planning', 'needs-review'],
      ['planning', 'needs-review'],
    ],
  ])('reads %j as %j', async (labels, expected) => {
    expect((await planWith({ labels })).labels).toEqual(expected);
  });

  it('are "flowgate: <id>" when left out', async () => {
    expect((await planWith({})).labels).toEqual(['flowgate: plan']);
  });

  it('follow labels.prefix when left out', async () => {
    expect((await planWith({}, { labels: { prefix: 'fg/' } })).labels).toEqual(['fg/plan']);
  });

  it.each([
    ['', 'must not be empty'],
    ['x'.repeat(51), 'must be at most 50 characters (GitHub refuses longer label names)'],
  ])('refuses %j: %s', async (label, message) => {
    expect(await schemaFinding({ stages: [{ ...PLAN, labels: label }, { id: 'done' }] })).toEqual({
      rule: 'schema',
      severity: 'error',
      path: 'stages[0].labels',
      message,
    });
  });
});

describe('delay', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['2h', 7200],
    ['1d', 86400],
    ['10 m', 600],
    [45, 45],
    [0, 0],
  ])('reads %j as %i seconds', async (delay, seconds) => {
    expect((await planWith({ delay })).delay).toBe(seconds);
  });

  it.each([
    ['1 day', 'must be a duration such as 30s, 5m, 2h or 1d, not "1 day"'],
    ['5w', 'must be a duration such as 30s, 5m, 2h or 1d, not "5w"'],
    ['m', 'must be a duration such as 30s, 5m, 2h or 1d, not "m"'],
    [-5, 'must be at least 0'],
    [1.5, 'must be a whole number, not 1.5'],
  ])('refuses %j: %s', async (delay, message) => {
    expect(await schemaFinding({ stages: [{ ...PLAN, delay }, { id: 'done' }] })).toEqual({
      rule: 'schema',
      severity: 'error',
      path: 'stages[0].delay',
      message,
    });
  });
});

describe('stage type', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ ...PLAN, id: `s${i}` }));

  it('is entry for the first stage, terminal for a last stage with no way out, work between', async () => {
    const workflow = await loadClean(withStages(...ids(3), { id: 'done' }));
    expect(workflow.stages.map((s) => s.type)).toEqual(['entry', 'work', 'work', 'terminal']);
  });

  it('is not terminal for a last stage that has a way out', async () => {
    const { workflow, diagnostics } = await load(
      withStages(PLAN, { ...PLAN, id: 'again', next: 'plan', gate: 'manual' }),
    );
    expect(workflow).toBeUndefined();
    expect(diagnostics.map((d) => d.rule)).toEqual(['no-terminal']);
  });

  it('gives a lone stage the entry type only', async () => {
    const { diagnostics } = await load(withStages({ id: 'only', run: [{ comment: 'hi' }] }));
    expect(diagnostics.map((d) => d.rule)).toEqual(['no-terminal', 'dead-end']);
  });

  it('lets an explicit entry elsewhere keep the first stage a work stage', async () => {
    const workflow = await loadClean(
      withStages(
        { ...PLAN, id: 'fix', next: 'done' },
        { ...PLAN, id: 'start', type: 'entry', next: 'fix' },
        { id: 'done' },
      ),
    );
    expect(workflow.stages.map((s) => s.type)).toEqual(['work', 'entry', 'terminal']);
  });

  it('lets an explicit terminal elsewhere keep the last stage a work stage', async () => {
    const { diagnostics } = await load(
      withStages(PLAN, { id: 'done', type: 'terminal' }, { ...PLAN, id: 'after' }),
    );
    expect(diagnostics.map(summary)).toContainEqual({
      rule: 'dead-end',
      severity: 'error',
      path: 'stages[2]',
      message: 'stage "after" has no way out: give it next or transitions, or make it type: terminal',
    });
  });

  it('lets two stages both be entries', async () => {
    const workflow = await loadClean(
      withStages({ ...PLAN, type: 'entry' }, { ...PLAN, id: 'hotfix', type: 'entry' }, { id: 'done' }),
    );
    expect(workflow.stages.map((s) => s.type)).toEqual(['entry', 'entry', 'terminal']);
  });

  it('refuses a type it does not know', async () => {
    expect(await schemaFinding({ stages: [{ ...PLAN, type: 'start' }, { id: 'done' }] })).toEqual({
      rule: 'schema',
      severity: 'error',
      path: 'stages[0].type',
      message: 'must be one of entry, work, terminal, not "start"',
    });
  });
});

describe('stage mode', () => {
  it.each([
    ['a terminal stage', [PLAN, { id: 'done' }], 1, 'system'],
    [
      'a stage with run actions',
      [PLAN, { id: 'tell', run: [{ comment: 'hi' }] }, { id: 'done' }],
      1,
      'system',
    ],
    ['any other stage', [PLAN, { id: 'done' }], 0, 'ai'],
    ['a stage that says manual', [{ id: 'write', mode: 'manual' }, { id: 'done' }], 0, 'manual'],
    ['a terminal stage that says manual', [PLAN, { id: 'done', mode: 'manual' }], 1, 'manual'],
  ])('is right for %s', async (_, stages, index, mode) => {
    const workflow = await loadClean(withStages(...stages));
    expect(workflow.stages[index]?.mode).toBe(mode);
  });

  it('is command when written so, with a command agent', async () => {
    const workflow = await loadClean({
      ...minimal(),
      providers: { agent: { use: 'command', run: 'codex exec -' } },
      stages: [{ id: 'build', mode: 'command', provider: 'agent', instructions: 'Build it' }, { id: 'done' }],
    });
    expect(workflow.stages.map((s) => s.mode)).toEqual(['command', 'system']);
  });
});

describe('next', () => {
  it('follows file order when left out', async () => {
    const workflow = await loadClean(withStages(PLAN, { ...PLAN, id: 'build' }, { id: 'done' }));
    expect(workflow.stages.map((s) => s.next)).toEqual(['build', 'done', undefined]);
  });

  it('is kept when written', async () => {
    const workflow = await loadClean(
      withStages(
        { ...PLAN, next: 'review' },
        { id: 'done', type: 'terminal' },
        { ...PLAN, id: 'review', next: 'done' },
      ),
    );
    expect(workflow.stages.map((s) => s.next)).toEqual(['review', undefined, 'done']);
  });

  it('is not filled in beside transitions', async () => {
    expect((await planWith({ transitions: ['done'] })).next).toBeUndefined();
  });
});

describe('provider of a stage', () => {
  it('is defaults.provider when left out of an ai stage', async () => {
    const workflow = await loadClean({
      ...minimal(),
      defaults: { provider: 'writer', gate: 'skip' },
      stages: [{ id: 'plan', instructions: 'x' }, { id: 'tell', run: [{ comment: 'hi' }] }, { id: 'done' }],
    });
    expect(workflow.stages.map((s) => s.provider)).toEqual(['writer', undefined, undefined]);
  });

  it('wins over defaults.provider when written', async () => {
    const workflow = await loadClean({
      ...minimal(),
      providers: { writer: 'anthropic/m', checker: 'openai/m' },
      defaults: { provider: 'writer', gate: 'skip' },
      stages: [{ id: 'plan', provider: 'checker', instructions: 'x' }, { id: 'done' }],
    });
    expect(workflow.stages[0]?.provider).toBe('checker');
  });
});

describe('other stage fields', () => {
  it('default to a name equal to the id, no verdict, output as a comment', async () => {
    const plan = await planWith({});
    expect(plan).toMatchObject({ name: 'plan', verdict: false, output: 'comment', index: 0 });
  });

  it.each(['comment', 'file:docs/plan.md'])('take output %j', async (output) => {
    expect((await planWith({ output })).output).toBe(output);
  });

  it('take output "pull_request" on a code stage', async () => {
    const plan = await planWith(
      { output: 'pull_request', mode: 'command', provider: 'agent' },
      { providers: { writer: 'anthropic/m', agent: { use: 'command', run: 'agent -' } } },
    );
    expect(plan.output).toBe('pull_request');
  });

  it.each([
    ['file:', 'must be comment, pull_request or file:<path>, not "file:"'],
    [
      'pull-request',
      'must be comment, pull_request or file:<path>, not "pull-request" (did you mean "pull_request"?)',
    ],
    ['file:/etc/passwd', 'file:<path>: the path must be relative to the repository root (no leading /)'],
    ['file:docs/../../x.md', 'file:<path>: the path must not hold . or .. folders'],
    ['file:docs//x.md', 'file:<path>: the path must not hold an empty folder name (//)'],
    ['file:docs/', 'file:<path>: the path must name a file, not a folder (it ends with /)'],
    ['file:docs\\x.md', 'file:<path>: the path must use / between folders, not \\'],
    ['file:.git/config', 'file:<path>: the path must not be inside .git'],
    [
      'file:.github/workflows/ci.yml',
      'file:<path>: the path must not be under .github/workflows/: GitHub refuses workflow changes from an Actions token',
    ],
  ])('refuse output %j', async (output, message) => {
    expect(await schemaFinding({ stages: [{ ...PLAN, output }, { id: 'done' }] })).toMatchObject({
      path: 'stages[0].output',
      message,
    });
  });

  it('read replaces "old" as ["old"]', async () => {
    expect((await planWith({ replaces: 'draft' })).replaces).toEqual(['draft']);
  });

  it.each([
    ['plan_2', true],
    ['2nd-pass', true],
    ['x'.repeat(40), true],
    ['x'.repeat(41), false],
    ['-plan', false],
    ['plan stage', false],
  ])('take %j as a stage id: %s', async (id, ok) => {
    const { diagnostics } = await load(withStages({ ...PLAN, id }, { id: 'done' }));
    expect(diagnostics.filter((d) => d.rule === 'schema').map((d) => d.path)).toEqual(
      ok ? [] : ['stages[0].id'],
    );
  });
});

describe('system actions', () => {
  async function actions(run: unknown[]) {
    const workflow = await loadClean(withStages({ id: 'tell', run }, { id: 'done' }));
    return workflow.stages[0]?.run;
  }

  it.each([
    [{ add_labels: 'triaged' }, { add_labels: ['triaged'] }],
    [{ remove_labels: ['a', 'b'] }, { remove_labels: ['a', 'b'] }],
    [{ assign: '@octocat' }, { assign: ['octocat'] }],
    [{ assign: ['octocat', 'hubot'] }, { assign: ['octocat', 'hubot'] }],
    [
      { request_reviewers: ['@octocat', 'acme/leads'] },
      { request_reviewers: { users: ['octocat'], teams: ['acme/leads'] } },
    ],
    [
      { request_reviewers: { teams: ['acme/leads'] } },
      { request_reviewers: { users: [], teams: ['acme/leads'] } },
    ],
    [{ close: true }, { close: true }],
    [{ close: 'not_planned' }, { close: 'not_planned' }],
    [{ reopen: true }, { reopen: true }],
    [{ dispatch: { workflow: 'deploy.yml' } }, { dispatch: { workflow: 'deploy.yml', inputs: {} } }],
    [{ webhook: { url: 'https://example.com/hook' } }, { webhook: { url: 'https://example.com/hook' } }],
  ])('read %j as %j', async (written, action) => {
    expect(await actions([written])).toEqual([action]);
  });

  it.each([
    [{ close: 'yes' }, 'stages[0].run[0].close', 'must be one of true, completed, not_planned, not "yes"'],
    [{ reopen: false }, 'stages[0].run[0].reopen', 'must be true, not false'],
    [
      { webhook: { url: 'ftp://example.com' } },
      'stages[0].run[0].webhook.url',
      'must be a URL starting with https:// or http://, not "ftp://example.com"',
    ],
    [{ dispatch: {} }, 'stages[0].run[0].dispatch.workflow', 'missing required field "workflow"'],
    [{ comment: '' }, 'stages[0].run[0].comment', 'must not be empty'],
    [{ label: 'x' }, 'stages[0].run[0].label', 'unknown field "label"'],
  ])('refuse %j at %s: %s', async (action, path, message) => {
    expect(await schemaFinding({ stages: [{ id: 'tell', run: [action] }, { id: 'done' }] })).toEqual({
      rule: 'schema',
      severity: 'error',
      path,
      message,
    });
  });
});

describe('on', () => {
  it('starts on no label, by `/flowgate start <lower-cased name>`, on any subject when left out', async () => {
    expect((await loadClean(minimal())).on).toEqual({ labels: [], subject: 'any', command: 'demo' });
    expect((await loadClean({ ...minimal(), name: 'Feature' })).on.command).toBe('feature');
  });

  it.each([
    ['flowgate:feature', ['flowgate:feature']],
    [
      ['a', 'b'],
      ['a', 'b'],
    ],
  ])('reads labels %j as %j', async (labels, expected) => {
    expect((await loadClean({ ...minimal(), on: { labels } })).on.labels).toEqual(expected);
  });

  it('keeps command and subject', async () => {
    const workflow = await loadClean({ ...minimal(), on: { command: 'feature', subject: 'pull_request' } });
    expect(workflow.on).toEqual({ labels: [], command: 'feature', subject: 'pull_request' });
  });

  describe('schedule', () => {
    it('fills in the selector, batches, strategy and dashboard', async () => {
      const workflow = await loadClean({ ...minimal(), on: { schedule: { cron: '0 6 * * 1' } } });
      expect(workflow.on.schedule).toEqual({
        cron: ['0 6 * * 1'],
        select: { type: 'issues', labels: [], exclude_labels: [], min_age_days: 0, limit: 500 },
        batch_size: 10,
        strategy: 'stage-by-stage',
        on_failure: 'continue',
        dashboard: { retention_days: 90 },
      });
    });

    it('keeps a sweep budget', async () => {
      const workflow = await loadClean({
        ...minimal(),
        on: { schedule: { cron: '0 6 * * 1', budget: { max_tokens: 2_000_000, max_cost_usd: 25 } } },
      });
      expect(workflow.on.schedule?.budget).toEqual({ max_tokens: 2_000_000, max_cost_usd: 25 });
    });

    it('reads select labels written as one string', async () => {
      const workflow = await loadClean({
        ...minimal(),
        on: {
          schedule: {
            cron: ['0 6 * * 1', '0 18 * * 5'],
            select: { labels: 'stale', exclude_labels: 'pinned' },
          },
        },
      });
      expect(workflow.on.schedule?.cron).toEqual(['0 6 * * 1', '0 18 * * 5']);
      expect(workflow.on.schedule?.select).toMatchObject({ labels: ['stale'], exclude_labels: ['pinned'] });
    });

    it.each([
      [
        { cron: 'daily' },
        'on.schedule.cron',
        'must be a five-field cron expression, e.g. "0 6 * * 1", not "daily"',
      ],
      [{}, 'on.schedule.cron', 'missing required field "cron"'],
      [{ cron: '0 6 * * 1', batch_size: 101 }, 'on.schedule.batch_size', 'must be at most 100'],
      [{ cron: '0 6 * * 1', select: { limit: 501 } }, 'on.schedule.select.limit', 'must be at most 500'],
      [
        { cron: '0 6 * * 1', budget: { max_cost_usd: 0 } },
        'on.schedule.budget.max_cost_usd',
        'must be more than 0',
      ],
      [
        { cron: '0 6 * * 1', budget: { max_tokens: 1.5 } },
        'on.schedule.budget.max_tokens',
        'must be a whole number, not 1.5',
      ],
      [
        { cron: '0 6 * * 1', strategy: 'parallel' },
        'on.schedule.strategy',
        'must be one of stage-by-stage, item-by-item, not "parallel"',
      ],
    ])('refuses %j at %s: %s', async (schedule, path, message) => {
      expect(await schemaFinding({ on: { schedule } })).toEqual({
        rule: 'schema',
        severity: 'error',
        path,
        message,
      });
    });
  });

  it.each([
    [
      { subject: 'issues' },
      'on.subject',
      'must be one of issue, pull_request, any, not "issues" (did you mean "issue"?)',
    ],
    [{ command: 'Feature' }, 'on.command', 'must be lowercase letters, digits, "-" or "_", not "Feature"'],
    [{ label: 'x' }, 'on.label', 'unknown field "label" (did you mean "labels"?)'],
  ])('refuses %j at %s: %s', async (on, path, message) => {
    expect(await schemaFinding({ on })).toEqual({ rule: 'schema', severity: 'error', path, message });
  });
});

describe('workflow-wide defaults', () => {
  it('are interactive, retry 3 times, no default gate written, 120-minute stages and "flowgate: " labels', async () => {
    const { defaults: _, ...bare } = minimal();
    const workflow = await loadClean({ ...bare, stages: [{ ...PLAN, gate: 'manual' }, { id: 'done' }] });
    expect(workflow.defaults.gate).toBeUndefined();
    expect(workflow).toMatchObject({
      mode: 'interactive',
      defaults: { max_retries: 3 },
      limits: { timeout_minutes: 120 },
      labels: { prefix: 'flowgate: ', awaiting_approval: 'flowgate: awaiting approval', color: '5319e7' },
    });
    expect(workflow.limits).toEqual({ timeout_minutes: 120 });
    expect(workflow.defaults.provider).toBeUndefined();
  });

  it('keep limits as written', async () => {
    const workflow = await loadClean({
      ...minimal(),
      limits: { max_tokens: 400000, max_cost_usd: 5, timeout_minutes: 30 },
    });
    expect(workflow.limits).toEqual({ max_tokens: 400000, max_cost_usd: 5, timeout_minutes: 30 });
  });

  it.each([
    [{ version: 2 }, 'version', 'must be 1, not 2'],
    [{ version: '1' }, 'version', 'must be 1 written without quotes, not the text "1"'],
    [
      { name: 'my flow' },
      'name',
      'must be 1-40 letters, digits, "-" or "_", starting with a letter or digit, not "my flow"',
    ],
    [{ mode: 'auto' }, 'mode', 'must be one of interactive, automated, not "auto"'],
    [{ limits: { timeout_minutes: 0 } }, 'limits.timeout_minutes', 'must be more than 0'],
    [{ limits: { max_cost_usd: -1 } }, 'limits.max_cost_usd', 'must be more than 0'],
    [
      { labels: { color: '#5319e7' } },
      'labels.color',
      'must be six hex digits without "#", e.g. 5319e7, not "#5319e7"',
    ],
    [{ defaults: { max_retries: -1 } }, 'defaults.max_retries', 'must be at least 0'],
    [
      { defaults: { provider: 'my writer' } },
      'defaults.provider',
      'must be 1-40 letters, digits, "-" or "_", starting with a letter, not "my writer"',
    ],
    [{ stages: [] }, 'stages', 'must list at least one stage'],
    [{ stages: 'plan' }, 'stages', 'must be a list, not "plan"'],
    [{ stage: [] }, 'stage', 'unknown field "stage" (did you mean "stages"?)'],
  ])('refuse %j at %s: %s', async (top, path, message) => {
    expect(await schemaFinding(top)).toEqual({ rule: 'schema', severity: 'error', path, message });
  });

  it.each([['version'], ['name'], ['stages']])('require %s', async (field) => {
    const raw = minimal();
    delete raw[field];
    const { diagnostics } = await load(raw);
    expect(diagnostics.map(summary)).toEqual([
      { rule: 'schema', severity: 'error', path: field, message: `missing required field "${field}"` },
    ]);
  });
});
