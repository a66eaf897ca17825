import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/core/load/load-workflow.ts';
import { SystemActionSchema } from '../../src/core/schema/system-action.ts';
import { simulateOnGitHub } from '../../src/simulate/simulate-on-github.ts';

/**
 * Every system action the workflow language accepts, in one system stage of a run on a pull request, each checked
 * on the in-memory GitHub it runs on (the same executor that runs them on GitHub).
 */
const WORKFLOW = `version: 1
name: actions
on: { labels: [flowgate:actions], subject: pull_request }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5 }
stages:
  - id: summary
    provider: writer
    instructions: Summarise the pull request.
    gate: { approver: skip }
    next: act
  - id: act
    run:
      - add_labels: [summarised, needs-review]
      - remove_labels: needs-review
      - comment: "Summary of #{{ subject.number }} by {{ subject.author }}:\\n{{ outputs.summary }}"
      - assign: ["@octocat"]
      - request_reviewers: [hubot, acme/reviewers]
      - dispatch: { workflow: deploy.yml, inputs: { pr: "{{ subject.number }}" } }
      - webhook: { url: "https://hooks.example/flowgate" }
      - close: not_planned
      - reopen: true
    next: done
  - id: done
    type: terminal
`;

const CHECKED = {
  add_labels: 'summarised is added',
  remove_labels: 'needs-review is removed again',
  comment: 'the comment quotes the accepted output of summary',
  assign: 'octocat is assigned',
  request_reviewers: 'hubot and the reviewers team are asked to review',
  dispatch: 'deploy.yml is dispatched with the rendered input',
  webhook: 'the webhook is sent',
  close: 'the pull request is closed',
  reopen: 'and reopened',
};

describe('system actions', () => {
  it('lists every action the schema accepts in this test', () => {
    const keys = Object.keys(SystemActionSchema.shape ?? {}).sort();
    expect(keys).toEqual(Object.keys(CHECKED).sort());
  });

  it('are each carried out on GitHub, none silently ignored', async () => {
    const { workflow, diagnostics } = await loadWorkflow('actions.yml', WORKFLOW);
    if (workflow === undefined) throw new Error(JSON.stringify(diagnostics));
    const result = await simulateOnGitHub(workflow, { file: { path: 'actions.yml', text: WORKFLOW } });
    expect(result.outcome.kind).toBe('completed');
    const github = result.github;
    const pr = github.issues.get(1);
    expect(pr?.labels).toContain('summarised');
    expect(pr?.labels).not.toContain('needs-review');
    const said = github.comments.map((c) => c.body).find((b) => b.startsWith('Summary of #1 by octocat:'));
    expect(said).toContain('**summary**, attempt 1: a simulated answer');
    expect(pr?.assignees).toEqual(['octocat']);
    expect(github.pulls.get(1)?.requested).toEqual(['hubot', 'team:reviewers']);
    expect(github.dispatches).toEqual([{ workflow: 'deploy.yml', ref: 'main', inputs: { pr: '1' } }]);
    const act = result.entries.find((e) => e.effects.some((v) => v.label === 'webhook'));
    expect(act?.effects.map((v) => v.label)).toEqual(
      expect.arrayContaining(['reply', 'labels', 'assigned', 'reviewers', 'dispatch', 'webhook']),
    );
    expect(pr?.state).toBe('open');
    expect(github.log.filter((l) => /^PATCH \/repos\/example\/repo\/issues\/1$/.test(l))).toHaveLength(2);
    expect(github.comments.filter((c) => c.body.startsWith('A system action'))).toEqual([]);
  });
});
