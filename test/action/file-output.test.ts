import { describe, expect, it } from 'vitest';
import { labelledRuns } from './labelled-run.ts';
import { ANTHROPIC_KEY, modelEnv, sentTo } from './model-fixture.ts';

const FLOW = `version: 1
name: feature
on: { labels: [flowgate:feature] }
providers:
  writer: { use: anthropic, model: claude-sonnet-4-5, max_output_tokens: 2000, timeout_seconds: 5 }
stages:
  - id: plan
    provider: writer
    instructions: "Write a plan for {{ subject.title }}."
    output: file:docs/plans/dry-run.md
    gate: manual
  - id: summary
    provider: writer
    instructions: "Summarise this plan: {{ outputs.plan }}"
    gate: manual
  - id: done
`;

const labelled = labelledRuns();
const started = () => labelled(FLOW);

describe('a stage whose output is a file', () => {
  it('commits the response to the run branch, names it in the comment, and updates it on a retry', async () => {
    const { h, models } = await started();
    const runId = h.app.state(7).id;
    const branch = `flowgate/${runId}`;
    models.enqueue({ text: '# Plan\n\n1. Add the flag.\n' });
    const first = await h.step(7, modelEnv(models));
    expect(first.outputs).toMatchObject({ outcome: 'posted', kind: 'response' });

    // The file is on the run's branch (made from main), not on main.
    const files = h.github.branches.get(branch)?.files;
    expect(files?.get('docs/plans/dry-run.md')).toBe('# Plan\n\n1. Add the flag.\n');
    expect(files?.get('.github/flowgate/feature.yml')).toBe(FLOW);
    expect(h.github.files.has('docs/plans/dry-run.md')).toBe(false);
    const [commit] = h.github.commits;
    expect(commit?.message).toBe(`flowgate: plan of #7 (attempt 1)\n\nRun ${runId}, workflow feature.`);

    // The comment names the file and carries its text; the marker says where it went.
    const response = h.parsedOutputs(7)[0];
    const url = `https://github.com/acme/widgets/blob/${branch}/docs/plans/dry-run.md`;
    expect(response?.visible).toBe(
      `Written to [\`docs/plans/dry-run.md\`](${url}) on branch \`${branch}\` (commit \`${commit?.sha.slice(0, 12)}\`).\n\n# Plan\n\n1. Add the flag.\n`,
    );
    expect(response?.output).toMatchObject({
      kind: 'response',
      file: { path: 'docs/plans/dry-run.md', branch, commit: commit?.sha },
    });
    expect(h.app.state(7)).toMatchObject({ status: 'awaiting_approval', wait: { step: 'response' } });

    // A retry: the rejected answer in the prompt is the file's text, without the heading; the same file is updated.
    await h.app.comment(7, 'bob', '/retry Name the tests too.');
    models.enqueue({ text: '# Plan\n\n1. Add the flag.\n2. Test it in sync.test.ts.\n' });
    await h.step(7, modelEnv(models));
    expect(sentTo(models, 1).prompt).toContain('```data: rejected answer\n# Plan\n\n1. Add the flag.\n```');
    expect(sentTo(models, 1).prompt).not.toContain('Written to');
    expect(h.github.branches.get(branch)?.files.get('docs/plans/dry-run.md')).toBe(
      '# Plan\n\n1. Add the flag.\n2. Test it in sync.test.ts.\n',
    );
    expect(h.github.commits.map((c) => c.message.split('\n')[0])).toEqual([
      'flowgate: plan of #7 (attempt 1)',
      'flowgate: plan of #7 (attempt 2)',
    ]);

    // Approved: the next stage's prompt gets the file's text as the plan's output.
    await h.app.comment(7, 'bob', '/approve');
    expect(h.lastDispatch()).toMatchObject({ stage: 'summary', step: 'response' });
    models.enqueue({ text: 'A flag and a test.' });
    await h.step(7, modelEnv(models));
    expect(sentTo(models, 2).prompt).toBe(
      'Summarise this plan: \n```data: outputs.plan\n# Plan\n\n1. Add the flag.\n2. Test it in sync.test.ts.\n```\n',
    );
  });

  it('never writes a secret the model repeats into the file', async () => {
    const { h, models } = await started();
    models.enqueue({ text: `The key is ${ANTHROPIC_KEY}.` });
    await h.step(7, modelEnv(models));
    const branch = `flowgate/${h.app.state(7).id}`;
    expect(h.github.branches.get(branch)?.files.get('docs/plans/dry-run.md')).toBe('The key is ***.');
  });

  it('posts a failure, and no response, when GitHub refuses the commit', async () => {
    const { h, models } = await started();
    h.github.failures.push({ method: 'PUT', path: /\/contents\//, status: 403, thenSucceed: false });
    models.enqueue({ text: '# Plan' });
    const run = await h.run(modelEnv(models));
    expect(run.code).toBe(1);
    const outputs = h.parsedOutputs(7);
    expect(outputs.map((o) => o.output.kind)).toEqual(['failure']);
    expect(outputs[0]?.visible).toContain(
      'the response of "plan" could not be written to docs/plans/dry-run.md: GitHub refused to write docs/plans/dry-run.md on flowgate/',
    );
    expect(outputs[0]?.visible).toContain("(the workflow's token needs contents: write)");
    await h.deliverOutputs(7);
    expect(h.app.state(7).status).toBe('failed');
  });
});
