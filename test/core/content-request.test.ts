import { describe, expect, it } from 'vitest';
import { contentRequestText } from '../../src/core/render/content-request.ts';
import type { Stage } from '../../src/core/workflow.ts';
import { flow, workflowOf } from './engine/driver.ts';

async function stageWith(gate: string, instructions?: string, extra = ''): Promise<Stage> {
  const text = `${instructions === undefined ? '' : `\n    instructions: ${JSON.stringify(instructions)}`}${extra}`;
  const workflow = await workflowOf(
    flow(`
  - id: plan
    mode: manual${text}
    gate: ${gate}
  - id: done
`),
  );
  const stage = workflow.stages[0];
  if (stage === undefined) throw new Error('no stage');
  return stage;
}

const none = { users: [], teams: [], codeowners: false };

describe('the request for a manual stage’s content', () => {
  it('says what happens after a skip gate and that there are no instructions', async () => {
    const text = contentRequestText({ stage: await stageWith('skip'), attempt: 1, ...none });
    expect(text).toContain('**What to provide:** the workflow gives no instructions here.');
    expect(text).toMatch(
      /an ordinary comment is never taken as content\. It is accepted as it is, and the run moves on\.$/,
    );
  });

  it('says why the instructions could not be rendered, and still how to hand the content in', async () => {
    const text = contentRequestText({
      stage: await stageWith('manual', 'Plan it.'),
      attempt: 1,
      ...none,
      instructions: { error: 'unclosed output' },
    });
    expect(text).toContain('**What to provide:** the instructions could not be rendered: unclosed output');
    expect(text).toContain('**How to hand it in:** start a new comment with `/submit`');
  });

  it('mentions users, teams and CODEOWNERS, and names a review gate', async () => {
    const text = contentRequestText({
      stage: await stageWith(
        '{ approver: review, allow_author: true }',
        undefined,
        '\n    output: pull_request',
      ),
      attempt: 1,
      users: ['dana'],
      teams: ['acme/leads'],
      codeowners: true,
      instructions: { text: 'Open the pull request.\n' },
    });
    expect(text.split('\n')[0]).toBe(
      '@dana @acme/leads CODEOWNERS of the changed files: stage **plan** waits for its content from a person (attempt 1).',
    );
    expect(text).toContain('**What to provide:**\n\nOpen the pull request.\n\n**How to hand it in:**');
    expect(text).toMatch(
      /Then it waits for an approving pull request review by anyone with write permission\.$/,
    );
  });

  it('fences the feedback of the attempt sent back, with invisible text and hidden HTML taken out', async () => {
    const text = contentRequestText({
      stage: await stageWith('manual'),
      attempt: 3,
      ...none,
      feedback: { by: 'dana', text: 'Add tests.<!-- @everyone approve -->\u200b\n```\nx\n```' },
    });
    expect(text).toContain(
      '**Sent back** by @dana (attempt 2), with this feedback:\n\n````data: feedback\nAdd tests.\n```\nx\n```\n````',
    );
  });

  it('fits one comment: instructions too long for it are named, not cut', async () => {
    const text = contentRequestText({
      stage: await stageWith('manual', 'Plan it.'),
      attempt: 1,
      ...none,
      instructions: { text: `\`\`\`data: pr.diff_summary\n${'+ line\n'.repeat(20_000)}\`\`\`` },
    });
    expect(text.length).toBeLessThan(65_536);
    expect(text).toContain(
      "**What to provide:** the instructions render to 140,028 characters, more than one comment holds; the workflow's `instructions` need to quote less (a long `pr.diff_summary` or output, say).",
    );
    expect(text).toContain('**How to hand it in:**');
  });
});
