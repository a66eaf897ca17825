import { describeApprovers } from '../engine/eligibility.ts';
import { visibleMarkdown } from '../markdown/visible-markdown.ts';
import type { Stage } from '../workflow.ts';
import { escapeMarkdownCell } from './escape.ts';
import { fenceData } from './fence-data.ts';
import { MAX_COMMENT_CHARS } from './status-comment.ts';

export interface ContentRequest {
  stage: Stage;
  attempt: number;
  /** The gate's approvers to mention (`@user`, `@org/team`), and whether CODEOWNERS decide. */
  users: string[];
  teams: string[];
  codeowners: boolean;
  /** The stage's `instructions` rendered, or why they could not be; absent when the stage has none. */
  instructions?: { text: string } | { error: string };
  /** What sent the previous attempt back, and who: a login, or an AI approver (`ai:<provider>`). */
  feedback?: { by: string; text: string };
}

/**
 * The reply that asks for a manual stage's content: who is asked, the feedback that sent the previous attempt back
 * (fenced as data: a person's or a model's text), the rendered instructions, exactly how to hand the content in
 * (`/submit`), and what happens to it then (the gate). Pure.
 */
export function contentRequestText(r: ContentRequest): string {
  const { stage, attempt } = r;
  const who = [
    ...r.users.map((u) => `@${u}`),
    ...r.teams.map((t) => `@${t}`),
    ...(r.codeowners ? ['CODEOWNERS of the changed files'] : []),
  ];
  const name = escapeMarkdownCell(stage.name);
  const lines = [
    `${who.length > 0 ? `${who.join(' ')}: ` : ''}stage **${name}** waits for its content from a person (attempt ${attempt}).`,
  ];
  if (r.feedback !== undefined) {
    const by = r.feedback.by.includes(':') ? `the AI approver \`${r.feedback.by}\`` : `@${r.feedback.by}`;
    const shown = /\bfeedback\b/.test(stage.instructions ?? '');
    lines.push(
      '',
      `**Sent back** by ${by} (attempt ${attempt - 1})${shown ? '; the instructions below show its feedback.' : ', with this feedback:'}`,
    );
    if (!shown) lines.push('', fenceData('feedback', visibleMarkdown(r.feedback.text)));
  }
  const instructions = r.instructions;
  // The reply is one comment: instructions that would not fit are not cut (a cut could leave a data fence open).
  const room = MAX_COMMENT_CHARS - 2000 - lines.join('\n').length;
  if (instructions !== undefined && 'text' in instructions && instructions.text.length > room)
    lines.push(
      '',
      `**What to provide:** the instructions render to ${instructions.text.length.toLocaleString('en-US')} characters, more than one comment holds; the workflow's \`instructions\` need to quote less (a long \`pr.diff_summary\` or output, say).`,
    );
  else if (instructions === undefined)
    lines.push('', '**What to provide:** the workflow gives no instructions here.');
  else if ('error' in instructions)
    lines.push('', `**What to provide:** the instructions could not be rendered: ${instructions.error}`);
  else lines.push('', '**What to provide:**', '', instructions.text.trim());
  lines.push(
    '',
    `**How to hand it in:** start a new comment with \`/submit\`, followed by the content on the same line or the lines below it: everything after \`/submit\` is taken, code blocks included. Anyone with write permission may submit; an ordinary comment is never taken as content. ${afterwards(stage)}`,
  );
  return lines.join('\n');
}

/** What happens to the content once it is in: what the stage's gate does. */
function afterwards(stage: Stage): string {
  const gate = stage.gate;
  if (gate.approver === 'skip') return 'It is accepted as it is, and the run moves on.';
  if (gate.approver.startsWith('ai:')) {
    return `Then the AI approver \`${gate.approver}\` judges it; a rejection asks here for new content, with its feedback (${gate.max_retries} time${gate.max_retries === 1 ? '' : 's'} in this visit; one more rejection fails the run).`;
  }
  const own = gate.allow_author ? '' : '; whoever submits it cannot approve it';
  if (gate.approver === 'review')
    return `Then it waits for an approving pull request review by ${describeApprovers(gate)}${own}.`;
  return `Then it waits for approval by ${describeApprovers(gate)}: \`/approve\`, or \`/reject <reason>\` or \`/retry [feedback]\` to ask for new content${own}.`;
}
