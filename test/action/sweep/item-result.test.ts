import { describe, expect, it } from 'vitest';
import { itemResult } from '../../../src/action/sweep/item-result.ts';
import type { RunState } from '../../../src/core/state/run-state.ts';

function run(stage: string, moves: string[], status: RunState['status'] = 'awaiting_approval'): RunState {
  const at = '2025-06-12T02:00:00Z';
  return {
    v: 1,
    id: '1-content-abc',
    workflow: 'content',
    definition: 'sha',
    subject: { kind: 'issue', number: 1, author: 'rudy', title: 'Brief 1', labels: [] },
    status,
    stage,
    stages: {},
    usage: { tokens_in: 0, tokens_out: 0, cost_usd: 0 },
    started_at: at,
    updated_at: at,
    history: moves.map((what) => ({ at, actor: 'flowgate', event: 'e', what })),
    history_trimmed: 0,
    seen: [],
    rev: 1,
  };
}

describe('itemResult', () => {
  it('names the system stages the run went through within the step, oldest first', () => {
    const moved = run('edit', [
      'started at outline',
      'approved by flowgate',
      'outline -> tasks',
      'tasks -> notify',
      'notify -> edit',
    ]);
    expect(itemResult(1, 'outline', moved)).toMatchObject({
      outcome: 'done',
      next: 'edit',
      via: ['tasks', 'notify'],
    });
  });

  it('names none when the run went straight on, or its history does not lead back to the stage', () => {
    expect(
      itemResult(1, 'outline', run('edit', ['started at outline', 'outline -> edit'])),
    ).not.toHaveProperty('via');
    expect(itemResult(1, 'outline', run('edit', ['x -> y', 'y -> edit', 'started at z']))).not.toHaveProperty(
      'via',
    );
  });
});
