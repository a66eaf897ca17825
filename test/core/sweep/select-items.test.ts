import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ItemFacts,
  type Selector,
  SweepInputError,
  selectItems,
} from '../../../src/core/sweep/index.ts';

const NOW = '2025-06-12T02:00:00Z';

function selector(overrides: Partial<Selector> = {}): Selector {
  return { type: 'issues', labels: [], exclude_labels: [], min_age_days: 0, limit: 500, ...overrides };
}

function item(number: number, overrides: Partial<ItemFacts> = {}): ItemFacts {
  return {
    number,
    kind: 'issue',
    state: 'open',
    labels: [],
    created_at: '2025-06-01T00:00:00Z',
    updated_at: '2025-06-10T00:00:00Z',
    author: 'octocat',
    ...overrides,
  };
}

describe('selectItems', () => {
  it('keeps open items only', () => {
    expect(selectItems(selector(), [item(1), item(2, { state: 'closed' }), item(3)], NOW)).toEqual([1, 3]);
  });

  it.each([
    ['issues', [1, 3]],
    ['pull_requests', [2]],
    ['all', [1, 2, 3]],
  ] as const)('with type %s keeps %j', (type, expected) => {
    const items = [item(1), item(2, { kind: 'pull_request' }), item(3)];
    expect(selectItems(selector({ type }), items, NOW)).toEqual(expected);
  });

  it('needs every label in labels, in any letter case', () => {
    const items = [
      item(1, { labels: ['brief', 'Ready'] }),
      item(2, { labels: ['brief'] }),
      item(3, { labels: ['BRIEF', 'ready', 'other'] }),
    ];
    expect(selectItems(selector({ labels: ['brief', 'ready'] }), items, NOW)).toEqual([1, 3]);
  });

  it('leaves out items with any label in exclude_labels, in any letter case', () => {
    const items = [item(1, { labels: ['brief'] }), item(2, { labels: ['brief', 'On-Hold'] }), item(3)];
    expect(selectItems(selector({ exclude_labels: ['on-hold'] }), items, NOW)).toEqual([1, 3]);
  });

  it('keeps items created at least min_age_days whole days before now', () => {
    const items = [
      item(1, { created_at: '2025-06-05T02:00:00Z' }), // exactly 7 days
      item(2, { created_at: '2025-06-05T02:00:01Z' }), // one second short
      item(3, { created_at: '2024-01-01T00:00:00Z', updated_at: '2025-06-12T01:00:00Z' }),
    ];
    expect(selectItems(selector({ min_age_days: 7 }), items, NOW)).toEqual([1, 3]);
  });

  it('sorts by number, oldest first, and keeps the first `limit`', () => {
    const items = [item(30), item(4), item(17), item(8)];
    expect(selectItems(selector({ limit: 3 }), items, NOW)).toEqual([4, 8, 17]);
  });

  it('never selects more than 500 items, whatever the limit says', () => {
    const items = Array.from({ length: 600 }, (_, i) => item(i + 1));
    expect(selectItems(selector({ limit: 10_000 }), items, NOW)).toHaveLength(500);
  });

  it('leaves out the numbers in exclude (the dashboard issue)', () => {
    expect(selectItems(selector(), [item(1), item(2), item(3)], NOW, { exclude: [2] })).toEqual([1, 3]);
  });

  it('counts an item listed twice once, as first listed', () => {
    const items = [item(5, { labels: ['brief'] }), item(5, { labels: [] }), item(6, { labels: ['brief'] })];
    expect(selectItems(selector({ labels: ['brief'] }), items, NOW)).toEqual([5, 6]);
  });

  describe('with facts that are not what GitHub returns', () => {
    it.each([
      [item(0), 'item 1 of the list has number 0: it must be a positive integer'],
      [item(1.5), 'item 1 of the list has number 1.5: it must be a positive integer'],
      [
        item(3, { kind: 'discussion' as 'issue' }),
        '#3 has kind "discussion": it must be issue or pull_request',
      ],
      [item(3, { state: 'merged' as 'open' }), '#3 has state "merged": it must be open or closed'],
      [
        item(3, { labels: [{ name: 'x' }] as unknown as string[] }),
        '#3 has labels that are not a list of label names',
      ],
      [
        item(3, { created_at: 'yesterday' }),
        'created_at of #3 must be an ISO time such as 2025-06-12T02:00:00Z, not "yesterday"',
      ],
      [item(3, { updated_at: '' }), 'updated_at of #3 must be an ISO time'],
    ])('refuses %j: %s', (facts, message) => {
      expect(() => selectItems(selector(), [facts], NOW)).toThrow(SweepInputError);
      expect(() => selectItems(selector(), [facts], NOW)).toThrow(message);
    });

    it('refuses a now that is not a time', () => {
      expect(() => selectItems(selector(), [], 'now')).toThrow('now must be an ISO time');
    });
  });

  it('selects exactly the items that pass every rule, sorted and within the limit (property)', () => {
    const labelNames = ['brief', 'Brief', 'hold', 'ready', 'x'];
    const facts = fc.record({
      number: fc.integer({ min: 1, max: 60 }),
      kind: fc.constantFrom('issue' as const, 'pull_request' as const),
      state: fc.constantFrom('open' as const, 'closed' as const),
      labels: fc.subarray(labelNames),
      created_at: fc
        .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2025, 5, 12, 2) })
        .map((ms) => new Date(ms).toISOString()),
      updated_at: fc.constant('2025-06-12T00:00:00Z'),
      author: fc.constantFrom('a', 'b'),
    });
    const sel = fc.record({
      type: fc.constantFrom('issues' as const, 'pull_requests' as const, 'all' as const),
      labels: fc.subarray(['brief', 'ready']),
      exclude_labels: fc.subarray(['hold', 'x']),
      min_age_days: fc.integer({ min: 0, max: 200 }),
      limit: fc.integer({ min: 1, max: 80 }),
    });
    fc.assert(
      fc.property(sel, fc.array(facts, { maxLength: 80 }), (s, items) => {
        const picked = selectItems(s, items, NOW);
        const first = new Map<number, ItemFacts>();
        for (const i of items) if (!first.has(i.number)) first.set(i.number, i);
        const passes = (i: ItemFacts) => {
          const labels = i.labels.map((l) => l.toLowerCase());
          return (
            i.state === 'open' &&
            (s.type === 'all' || (s.type === 'issues') === (i.kind === 'issue')) &&
            s.labels.every((l) => labels.includes(l)) &&
            !s.exclude_labels.some((l) => labels.includes(l)) &&
            Date.parse(i.created_at) <= Date.parse(NOW) - s.min_age_days * 86_400_000
          );
        };
        const expected = [...first.values()]
          .filter(passes)
          .map((i) => i.number)
          .sort((a, b) => a - b)
          .slice(0, s.limit);
        expect(picked).toEqual(expected);
      }),
    );
  });
});
