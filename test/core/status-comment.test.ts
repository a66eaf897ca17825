import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { renderCheckSummary } from '../../src/core/render/check-summary.ts';
import { escapeMarkdownCell } from '../../src/core/render/escape.ts';
import { renderStatusComment } from '../../src/core/render/status-comment.ts';
import type { RunState, StageRecord } from '../../src/core/state/run-state.ts';
import type { Workflow } from '../../src/core/workflow.ts';
import { historyEntry, sampleStageRecord, sampleState, sha } from './state-fixture.ts';

const EXAMPLE = readFileSync('workflows-examples/plan-implement-review-revise.yml', 'utf8');
const STATE_BLOCK = '<!-- flowgate:state v=1 sig=abc {"id":"run-42-demo"} -->';
const REPO = 'https://github.com/acme/app';

async function load(text: string): Promise<Workflow> {
  const { workflow, diagnostics } = await loadWorkflow('feature.yml', text);
  if (workflow === undefined) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return workflow;
}

/** A stage record at attempt `attempt` that has spent `cost`, with no output or approvals unless given. */
function visited(attempt: number, cost: number, overrides: Partial<StageRecord> = {}): StageRecord {
  return sampleStageRecord({
    visits: 1,
    attempt,
    prompt: undefined,
    output: undefined,
    approvals: [],
    usage: { tokens_in: Math.round(cost * 100_000), tokens_out: Math.round(cost * 50_000), cost_usd: cost },
    ...overrides,
  });
}

/** A run of the feature example on issue #42, from the shared fixture (whose plan was approved by a maintainer). */
function featureState(overrides: Partial<RunState>): RunState {
  return sampleState({ workflow: 'feature', ...overrides });
}

function render(workflow: Workflow, state: RunState, maxHistory?: number): string {
  return renderStatusComment({ workflow, state, stateBlock: STATE_BLOCK, repoUrl: REPO, maxHistory });
}

describe('renderStatusComment', () => {
  describe('for the plan-implement-review-revise example', () => {
    it('waiting for approval of the plan: shows the gate, who may pass it and the commands', async () => {
      const state = featureState({
        status: 'awaiting_approval',
        stage: 'plan',
        wait: { for: 'approval', step: 'response', opened_at: '2025-01-01T12:04:00.000Z' },
        stages: { plan: visited(1, 0.0123) },
        usage: { tokens_in: 1230, tokens_out: 615, cost_usd: 0.0123 },
        history: [
          historyEntry(0, 'started', { actor: 'octocat' }),
          historyEntry(4, 'plan: output ready (attempt 1)', { actor: 'flowgate' }),
        ],
      });
      expect(render(await load(EXAMPLE), state)).toMatchInlineSnapshot(`
        "<!-- flowgate:status run=run-42-demo -->
        ### flowgate · feature

        ✋ **Waiting for approval of the plan (response)**

        Issue [#42](https://github.com/acme/app/issues/42): Add dark mode · run run-42-demo · started 2025-01-01 12:00 UTC · updated 2025-01-01 12:06 UTC

        | Stage | State | Attempts | Approvals | Cost |
        | :-- | :-- | --: | :-- | --: |
        | plan | ▶️ current | 1 | – | $0.0123 |
        | implement | ⏳ waiting | – | – | – |
        | review | ⏳ waiting | – | – | – |
        | revise | ⏳ waiting | – | – | – |
        | escalate | ⏳ waiting | – | – | – |
        | done | ⏳ waiting | – | – | – |

        #### Open gate: plan (response)

        - **Who may approve:** anyone with maintain permission; not the author of the issue
        - **Approvals:** 0 of 1
        - **Commands:** \`/approve [note]\` · \`/reject <reason>\` · \`/retry [feedback]\`

        **Usage:** 1,845 of 400,000 tokens (0%) · $0.0123 of $5.00 (0%)

        \`\`\`mermaid
        flowchart TD
          s0(["plan"])
          s1[["implement"]]
          s2["review"]
          s3[["revise"]]
          s4{{"escalate"}}
          s5((("done")))
          s0 -- "gate: manual" --> s1
          s1 -- "gate: review" --> s2
          s2 -- "verdict == #quot;pass#quot;" --> s5
          s2 -- "verdict == #quot;fail#quot; && attempt #lt; 3" --> s3
          s2 --> s4
          s3 --> s2
          s4 --> s5
          classDef entry fill:#dbeafe,stroke:#1d4ed8
          classDef terminal fill:#dcfce7,stroke:#15803d
          classDef done fill:#f3f4f6,stroke:#9ca3af,color:#6b7280
          classDef current fill:#fef3c7,stroke:#b45309,stroke-width:3px
          class s0 entry
          class s5 terminal
          class s0 current
        \`\`\`

        <details><summary>History (2 entries)</summary>

        | Time | Actor | What | Reason |
        | :-- | :-- | :-- | :-- |
        | 2025-01-01 12:00 UTC | octocat | started | – |
        | 2025-01-01 12:04 UTC | flowgate | plan: output ready (attempt 1) | – |

        </details>

        <!-- flowgate:state v=1 sig=abc {"id":"run-42-demo"} -->"
      `);
    });

    it('running the implementation a second time', async () => {
      const state = featureState({
        status: 'running',
        stage: 'implement',
        wait: { for: 'action', step: 'response', nonce: 'n-2', deadline: '2025-01-01T14:00:00.000Z' },
        stages: {
          plan: sampleStageRecord(),
          implement: visited(2, 0.2, { output: undefined, retries: 1, visit_retries: 1 }),
        },
        usage: { tokens_in: 21_200, tokens_out: 10_800, cost_usd: 0.2156 },
      });
      expect(render(await load(EXAMPLE), state)).toMatchInlineSnapshot(`
        "<!-- flowgate:status run=run-42-demo -->
        ### flowgate · feature

        🔄 **Running: implement (attempt 2)**

        Issue [#42](https://github.com/acme/app/issues/42): Add dark mode · run run-42-demo · started 2025-01-01 12:00 UTC · updated 2025-01-01 12:06 UTC

        **Commands:** \`/pause\` · \`/cancel\`

        | Stage | State | Attempts | Approvals | Cost |
        | :-- | :-- | --: | :-- | --: |
        | [plan](https://github.com/o/r/issues/42#c1002) | ✅ done | 1 | maintainer | $0.0156 |
        | implement | ▶️ current | 2 | – | $0.2000 |
        | review | ⏳ waiting | – | – | – |
        | revise | ⏳ waiting | – | – | – |
        | escalate | ⏳ waiting | – | – | – |
        | done | ⏳ waiting | – | – | – |

        **Usage:** 32,000 of 400,000 tokens (8%) · $0.2156 of $5.00 (4%)

        \`\`\`mermaid
        flowchart TD
          s0(["plan"])
          s1[["implement"]]
          s2["review"]
          s3[["revise"]]
          s4{{"escalate"}}
          s5((("done")))
          s0 -- "gate: manual" --> s1
          s1 -- "gate: review" --> s2
          s2 -- "verdict == #quot;pass#quot;" --> s5
          s2 -- "verdict == #quot;fail#quot; && attempt #lt; 3" --> s3
          s2 --> s4
          s3 --> s2
          s4 --> s5
          classDef entry fill:#dbeafe,stroke:#1d4ed8
          classDef terminal fill:#dcfce7,stroke:#15803d
          classDef done fill:#f3f4f6,stroke:#9ca3af,color:#6b7280
          classDef current fill:#fef3c7,stroke:#b45309,stroke-width:3px
          class s0 entry
          class s5 terminal
          class s0 done
          class s1 current
        \`\`\`

        <details><summary>History (3 entries)</summary>

        | Time | Actor | What | Reason |
        | :-- | :-- | :-- | :-- |
        | 2025-01-01 12:00 UTC | octocat | started | – |
        | 2025-01-01 12:05 UTC | maintainer | approved by @&#8203;maintainer | – |
        | 2025-01-01 12:06 UTC | flowgate | plan -&gt; implement | – |

        </details>

        <!-- flowgate:state v=1 sig=abc {"id":"run-42-demo"} -->"
      `);
    });

    it('failed in review after one round of revision', async () => {
      const state = featureState({
        status: 'failed',
        stage: 'review',
        wait: undefined,
        last_error: 'openai: 429 rate limited',
        resume: { status: 'running', reason: 'openai: 429 rate limited', action: 'retry' },
        stages: {
          plan: sampleStageRecord(),
          implement: visited(1, 0.5, {
            output: { attempt: 1, sha256: sha('c'), pointer: { pull_number: 43 } },
            approvals: [
              {
                by: 'reviewer',
                attempt: 1,
                at: '2025-01-01T12:30:00.000Z',
                step: 'response',
                sha256: sha('c'),
                via: 'review',
                event: 'review-1',
              },
            ],
          }),
          review: visited(2, 0.03, {
            output: { attempt: 1, sha256: sha('d'), pointer: { comment_id: 2001 }, verdict: 'fail' },
            approvals: [
              {
                by: 'flowgate',
                attempt: 1,
                at: '2025-01-01T12:40:00.000Z',
                step: 'response',
                sha256: sha('d'),
                via: 'skip',
                event: 'e-1',
              },
            ],
          }),
          revise: visited(1, 0.4, { output: { attempt: 1, sha256: sha('e'), pointer: { pull_number: 43 } } }),
        },
        usage: { tokens_in: 100_000, tokens_out: 50_000, cost_usd: 0.9456 },
      });
      expect(render(await load(EXAMPLE), state)).toMatchInlineSnapshot(`
        "<!-- flowgate:status run=run-42-demo -->
        ### flowgate · feature

        ❌ **Failed: openai: 429 rate limited**

        Issue [#42](https://github.com/acme/app/issues/42): Add dark mode · run run-42-demo · started 2025-01-01 12:00 UTC · updated 2025-01-01 12:06 UTC

        **Commands:** \`/retry [feedback]\` · \`/cancel\`

        | Stage | State | Attempts | Approvals | Cost |
        | :-- | :-- | --: | :-- | --: |
        | [plan](https://github.com/o/r/issues/42#c1002) | ✅ done | 1 | maintainer | $0.0156 |
        | [implement](https://github.com/acme/app/pull/43) | ✅ done | 1 | reviewer | $0.5000 |
        | [review](https://github.com/acme/app/issues/42#issuecomment-2001) | ❌ failed | 2 | auto | $0.0300 |
        | [revise](https://github.com/acme/app/pull/43) | ✅ done | 1 | – | $0.4000 |
        | escalate | ⏳ waiting | – | – | – |
        | done | ⏳ waiting | – | – | – |

        **Usage:** 150,000 of 400,000 tokens (37%) · $0.9456 of $5.00 (18%)

        \`\`\`mermaid
        flowchart TD
          s0(["plan"])
          s1[["implement"]]
          s2["review"]
          s3[["revise"]]
          s4{{"escalate"}}
          s5((("done")))
          s0 -- "gate: manual" --> s1
          s1 -- "gate: review" --> s2
          s2 -- "verdict == #quot;pass#quot;" --> s5
          s2 -- "verdict == #quot;fail#quot; && attempt #lt; 3" --> s3
          s2 --> s4
          s3 --> s2
          s4 --> s5
          classDef entry fill:#dbeafe,stroke:#1d4ed8
          classDef terminal fill:#dcfce7,stroke:#15803d
          classDef done fill:#f3f4f6,stroke:#9ca3af,color:#6b7280
          classDef current fill:#fef3c7,stroke:#b45309,stroke-width:3px
          class s0 entry
          class s5 terminal
          class s0,s1,s3 done
          class s2 current
        \`\`\`

        <details><summary>History (3 entries)</summary>

        | Time | Actor | What | Reason |
        | :-- | :-- | :-- | :-- |
        | 2025-01-01 12:00 UTC | octocat | started | – |
        | 2025-01-01 12:05 UTC | maintainer | approved by @&#8203;maintainer | – |
        | 2025-01-01 12:06 UTC | flowgate | plan -&gt; implement | – |

        </details>

        <!-- flowgate:state v=1 sig=abc {"id":"run-42-demo"} -->"
      `);
    });

    it('completed: every stage passed through is done, the others skipped', async () => {
      const state = featureState({
        status: 'completed',
        stage: 'done',
        wait: undefined,
        completed_at: '2025-01-01T13:00:00.000Z',
        stages: {
          plan: sampleStageRecord(),
          implement: visited(1, 0.5),
          review: visited(1, 0.01),
          done: visited(1, 0),
        },
        usage: { tokens_in: 60_000, tokens_out: 30_000, cost_usd: 0.5256 },
      });
      expect(render(await load(EXAMPLE), state)).toMatchInlineSnapshot(`
        "<!-- flowgate:status run=run-42-demo -->
        ### flowgate · feature

        ✅ **Completed; the issue is closed at 2025-01-08 13:00 UTC unless someone comments before**

        Issue [#42](https://github.com/acme/app/issues/42): Add dark mode · run run-42-demo · started 2025-01-01 12:00 UTC · ended 2025-01-01 13:00 UTC

        | Stage | State | Attempts | Approvals | Cost |
        | :-- | :-- | --: | :-- | --: |
        | [plan](https://github.com/o/r/issues/42#c1002) | ✅ done | 1 | maintainer | $0.0156 |
        | implement | ✅ done | 1 | – | $0.5000 |
        | review | ✅ done | 1 | – | $0.0100 |
        | revise | ⏭️ skipped | – | – | – |
        | escalate | ⏭️ skipped | – | – | – |
        | done | ✅ done | 1 | – | $0.0000 |

        **Usage:** 90,000 of 400,000 tokens (22%) · $0.5256 of $5.00 (10%)

        \`\`\`mermaid
        flowchart TD
          s0(["plan"])
          s1[["implement"]]
          s2["review"]
          s3[["revise"]]
          s4{{"escalate"}}
          s5((("done")))
          s0 -- "gate: manual" --> s1
          s1 -- "gate: review" --> s2
          s2 -- "verdict == #quot;pass#quot;" --> s5
          s2 -- "verdict == #quot;fail#quot; && attempt #lt; 3" --> s3
          s2 --> s4
          s3 --> s2
          s4 --> s5
          classDef entry fill:#dbeafe,stroke:#1d4ed8
          classDef terminal fill:#dcfce7,stroke:#15803d
          classDef done fill:#f3f4f6,stroke:#9ca3af,color:#6b7280
          classDef current fill:#fef3c7,stroke:#b45309,stroke-width:3px
          class s0 entry
          class s5 terminal
          class s0,s1,s2,s5 done
        \`\`\`

        <details><summary>History (3 entries)</summary>

        | Time | Actor | What | Reason |
        | :-- | :-- | :-- | :-- |
        | 2025-01-01 12:00 UTC | octocat | started | – |
        | 2025-01-01 12:05 UTC | maintainer | approved by @&#8203;maintainer | – |
        | 2025-01-01 12:06 UTC | flowgate | plan -&gt; implement | – |

        </details>

        <!-- flowgate:state v=1 sig=abc {"id":"run-42-demo"} -->"
      `);
    });
  });

  describe('at a review verdict gate that people pass', () => {
    it('offers /approve --complete and --revise and says what the review says', async () => {
      const text = EXAMPLE.replace(
        / {4}verdict: true\n {4}gate: skip.*\n/,
        '    verdict: true\n    gate: { approver: manual, approvers: [octocat, acme/leads], min_approvals: 2 }\n',
      );
      const state = featureState({
        status: 'awaiting_approval',
        stage: 'review',
        wait: { for: 'approval', step: 'response', opened_at: '2025-01-01T12:40:00.000Z' },
        stages: {
          plan: sampleStageRecord(),
          implement: visited(1, 0.5),
          review: visited(1, 0.01, {
            output: { attempt: 1, sha256: sha('d'), pointer: { comment_id: 2001 }, verdict: 'fail' },
            approvals: [
              // Counts: this attempt, this content.
              {
                by: 'octocat',
                attempt: 1,
                at: '2025-01-01T12:41:00.000Z',
                step: 'response',
                sha256: sha('d'),
                via: 'command',
                event: 'c-1',
              },
              // Does not count: the content changed since.
              {
                by: 'hubot',
                attempt: 1,
                at: '2025-01-01T12:42:00.000Z',
                step: 'response',
                sha256: sha('0'),
                via: 'command',
                event: 'c-2',
              },
            ],
          }),
        },
      });
      const gate = section(render(await load(text), state), '#### Open gate');
      expect(gate).toMatchInlineSnapshot(`
        "#### Open gate: review (response)

        - **Who may approve:** @octocat or members of @acme/leads (with write permission); not the author of the issue
        - **Approvals:** 1 of 2 (octocat)
        - **Verdict:** the response says FAIL; \`/approve\` follows it, \`/approve --complete\` overrides it to PASS, \`/approve --revise\` to FAIL
        - **Commands:** \`/approve [note]\` · \`/approve --complete\` · \`/approve --revise\` · \`/reject <reason>\` · \`/retry [feedback]\`"
      `);
    });
  });

  describe('at a pull request review gate', () => {
    it('asks for an approving review instead of offering /approve', async () => {
      const state = featureState({
        status: 'awaiting_approval',
        stage: 'implement',
        wait: { for: 'approval', step: 'response', opened_at: '2025-01-01T12:30:00.000Z' },
        subject: { kind: 'pull_request', number: 43, author: 'octocat', title: 'Dark mode', labels: [] },
        stages: {
          plan: sampleStageRecord(),
          implement: visited(1, 0.5, {
            output: { attempt: 1, sha256: sha('c'), pointer: { pull_number: 43 } },
          }),
        },
      });
      expect(section(render(await load(EXAMPLE), state), '#### Open gate')).toMatchInlineSnapshot(`
        "#### Open gate: implement (response)

        - **Who may approve:** an approving pull request review from anyone with write permission; not the author or the last pusher of the pull request
        - **Approvals:** 0 of 1
        - **Commands:** \`/reject <reason>\` · \`/retry [feedback]\`"
      `);
    });
  });

  describe('with a stage name that holds a carriage return and backticks', () => {
    it('keeps the graph inside its fence', async () => {
      const text = EXAMPLE.replace(
        '  - id: review\n',
        '  - id: review\n    name: "Review\\r```\\r<b>x</b>"\n',
      );
      const body = render(await load(text), featureState({}));
      expect(body).not.toContain('\r');
      expect(body).toContain('\n```mermaid\n');
      expect(body).toContain('#96;#96;#96;');
      expect(body).toContain('\n```\n\n<details>');
    });
  });

  describe('with hostile text in a reason, a title, an actor and an error', () => {
    const hostile =
      'a | b </details> <!-- x --> `code` ```\n| --- |\r\n</td><script>alert(1)</script> @everyone';

    it('keeps every table row to its cells and leaves the details block and the state block intact', async () => {
      const state = featureState({
        status: 'paused',
        stage: 'implement',
        wait: undefined,
        resume: { status: 'running', reason: hostile, action: 'continue' },
        subject: { kind: 'issue', number: 42, author: 'octocat', title: hostile, labels: [] },
        history: [
          historyEntry(0, 'started'),
          historyEntry(1, hostile, { actor: hostile, reason: hostile }),
          historyEntry(2, 'paused', { reason: hostile }),
        ],
      });
      const body = render(await load(EXAMPLE), state);
      const tableRows = body.split('\n').filter((line) => line.startsWith('|'));
      for (const row of tableRows) {
        const cells = row.split('|').length - 2;
        expect([5, 4]).toContain(cells);
      }
      expect(body.match(/<details>/g)).toHaveLength(1);
      expect(body.match(/<\/details>/g)).toHaveLength(1);
      expect(body.match(/<!--/g)).toHaveLength(2); // the status marker and the state block
      expect(body).not.toContain('<script>');
      expect(body).not.toContain('`code`');
      expect(body).not.toContain('@everyone');
      expect(body.endsWith(`\n\n${STATE_BLOCK}`)).toBe(true);
      // The history table ends where the details block does: no row spills out of it.
      const history = section(body, '<details>');
      expect(history.split('\n').filter((line) => line.startsWith('| 2025'))).toHaveLength(3);
    });

    it('cannot end the hidden marker through the run id', async () => {
      const body = render(await load(EXAMPLE), featureState({ id: 'x --> <b>y</b> --!>' }));
      const firstLine = body.split('\n')[0] ?? '';
      expect(firstLine).toBe('<!-- flowgate:status run=x%20--%3E%20%3Cb%3Ey%3C%2Fb%3E%20--!%3E -->');
      expect(firstLine.indexOf('>')).toBe(firstLine.length - 1);
    });
  });

  describe('with 1,000 history entries', () => {
    const longReason = 'the reviewer asked for more tests '.repeat(10);
    const history = Array.from({ length: 1000 }, (_, i) =>
      historyEntry(i % 60, `step ${i}`, { actor: `person-${i}`, reason: longReason }),
    );

    it('stays under 65,536 characters, keeps the newest entries and says how many are left out', async () => {
      const stateBlock = `<!-- flowgate:state ${'x'.repeat(20_000)} -->`;
      const state = featureState({ history, history_trimmed: 250 });
      const body = renderStatusComment({
        workflow: await load(EXAMPLE),
        state,
        stateBlock,
        maxHistory: 1000,
      });
      expect(body.length).toBeLessThan(65_536);
      expect(body.endsWith(`\n\n${stateBlock}`)).toBe(true);
      const summary = /<summary>History \((\d+) entries, (\d+) older trimmed\)<\/summary>/.exec(body);
      const shown = Number(summary?.[1]);
      expect(shown).toBeGreaterThan(10);
      expect(shown).toBeLessThan(1000);
      expect(Number(summary?.[2])).toBe(250 + 1000 - shown);
      expect(body).toContain('| step 999 |');
      expect(body).toContain('```mermaid');
      // Filled close to the limit, not far below it.
      expect(body.length).toBeGreaterThan(65_536 - 600);
    });

    it('leaves out the graph, then cuts the text, when the state block leaves little room', async () => {
      const workflow = await load(EXAMPLE);
      const state = featureState({ history });
      const roomy = renderStatusComment({ workflow, state, stateBlock: 'x'.repeat(64_700) });
      expect(roomy).not.toContain('```mermaid');
      expect(roomy).toContain('<summary>History (');
      const cramped = renderStatusComment({ workflow, state, stateBlock: 'x'.repeat(65_300) });
      expect(cramped.length).toBeLessThan(65_536);
      expect(cramped).toContain('… (cut to fit GitHub’s size limit)');
      expect(cramped.endsWith(`\n\n${'x'.repeat(65_300)}`)).toBe(true);
    });

    it('shows the last 10 by default', async () => {
      const body = render(await load(EXAMPLE), featureState({ history }));
      expect(body).toContain('<summary>History (10 entries, 990 older trimmed)</summary>');
      expect(body).toContain('| step 990 |');
      expect(body).not.toContain('| step 989 |');
    });

    it('keeps the check summary under 65,535 characters', async () => {
      const summary = renderCheckSummary({
        workflow: await load(EXAMPLE),
        state: featureState({ history }),
        maxHistory: 1000,
      });
      expect(summary.length).toBeLessThanOrEqual(65_535);
      expect(summary).toContain('| step 999 |');
    });
  });
});

describe('renderCheckSummary', () => {
  it('is the status comment without the hidden marker and the state block', async () => {
    const workflow = await load(EXAMPLE);
    const state = featureState({});
    const comment = renderStatusComment({ workflow, state, stateBlock: STATE_BLOCK, repoUrl: REPO });
    const summary = renderCheckSummary({ workflow, state, repoUrl: REPO });
    expect(comment).toBe(`<!-- flowgate:status run=run-42-demo -->\n${summary}\n\n${STATE_BLOCK}`);
    expect(summary).not.toContain('<!--');
  });
});

describe('escapeMarkdownCell', () => {
  const cases: [string, string, string][] = [
    ['plain text', 'looks good', 'looks good'],
    ['pipes', 'a | b', 'a &#124; b'],
    ['tags and comments', '</details><!-- x -->', '&lt;/details&gt;&lt;!-- x --&gt;'],
    ['backticks and backslashes', '`x` \\|', '&#96;x&#96; &#92;&#124;'],
    ['line breaks and tabs', 'one\ntwo\r\nthree\tfour', 'one two three four'],
    ['mentions', 'ping @octocat', 'ping @&#8203;octocat'],
    ['surrounding space', '  spaced  ', 'spaced'],
  ];
  it.each(cases)('escapes %s', (_name, text, expected) => {
    expect(escapeMarkdownCell(text)).toBe(expected);
  });

  it('cuts long text with an ellipsis, counting characters rather than code units', () => {
    expect(escapeMarkdownCell('abcdefghij', 5)).toBe('abcd…');
    expect(escapeMarkdownCell('😀😀😀😀😀😀', 4)).toBe('😀😀😀…');
    expect(escapeMarkdownCell('x'.repeat(500))).toHaveLength(200);
  });
});

/** The part of `body` from the line starting with `start` to the next blank-line-separated heading or block. */
function section(body: string, start: string): string {
  const from = body.indexOf(start);
  if (from < 0) throw new Error(`no ${start} in:\n${body}`);
  const rest = body.slice(from);
  const end =
    start === '<details>' ? rest.indexOf('</details>') + '</details>'.length : rest.indexOf('\n\n**Usage');
  return rest.slice(0, end);
}
