import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { loadScript } from '../../src/core/simulate/load-script.ts';
import { formatTranscript } from '../../src/core/simulate/transcript.ts';
import { simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';

/** A review whose verdict decides: PASS publishes, FAIL revises; maintainers decide the review's gate. */
const WORKFLOW = `version: 1
name: review
on: { labels: [flowgate:review] }
providers:
  checker: anthropic/claude-sonnet-4-5
stages:
  - id: review
    provider: checker
    instructions: "Review #{{ subject.number }}."
    verdict: true
    gate: { approver: manual, approvers: { permission: maintain } }
    transitions:
      - { to: publish, when: 'verdict == "pass"' }
      - { to: revise, when: 'verdict == "fail"' }
  - id: revise
    provider: checker
    instructions: "Revise after the review."
    gate: { approver: skip }
    next: done
  - id: publish
    provider: checker
    instructions: "Publish it."
    gate: { approver: skip }
    next: done
  - id: done
    type: terminal
`;

const PEOPLE = `subject: { number: 3, author: alice, title: Fix the login page, labels: ["flowgate:review"] }
started_by: bob
people:
  bob: { permission: maintain }
  carol: { permission: write }
`;

/** The transcript of the workflow under the script's `steps`; the review model says FAIL (the offline default). */
async function transcript(steps: string): Promise<string> {
  const { workflow } = await loadWorkflow('review.yml', WORKFLOW);
  if (workflow === undefined) throw new Error('the workflow does not load');
  const { loaded, diagnostics } = loadScript('events.yml', `${PEOPLE}steps:\n${steps}`, workflow);
  if (loaded === undefined) throw new Error(JSON.stringify(diagnostics));
  const result = await simulateOnGitHub(workflow, {
    file: { path: 'review.yml', text: WORKFLOW },
    script: loaded,
  });
  return formatTranscript(result).join('\n');
}

describe('flowgate simulate, review overrides', () => {
  it('hands the note of /approve --complete to the next stage, as on GitHub', async () => {
    const text = await transcript(
      '  - comment: { by: bob, body: "/approve --complete Publish it as a draft." }\n',
    );
    expect(text).toContain('review -> publish — when verdict == "pass"');
    expect(text).toContain('publish: feedback from the verdict override of review — Publish it as a draft.');
  });

  it("follows a verdict line a maintainer edited, and not a writer's", async () => {
    const text = await transcript(
      [
        '  - edit: { stage: review, by: carol, verdict: pass }',
        '  - edit: { stage: review, by: bob, verdict: fail }',
        '  - edit: { stage: review, by: bob, verdict: pass }',
        '  - comment: { by: bob, body: "/approve" }',
        '',
      ].join('\n'),
    );
    expect(text).toContain('review: verdict PASS edited by @carol not counted');
    expect(text).toContain('review: verdict set to PASS by @bob (edited output)');
    expect(text).toContain('review -> publish — when verdict == "pass" (verdict PASS, edited by @bob)');
  });

  it('carries the reason of /reject into a bare /retry', async () => {
    const text = await transcript(
      '  - comment: { by: bob, body: "/reject Check the mobile layout" }\n  - comment: { by: bob, body: "/retry" }\n',
    );
    expect(text).toContain("review: retry requested by @bob — with the reason of @bob's rejection");
  });
});
