import { describeApprovers } from '../engine/eligibility.ts';
import type { RunState } from '../state/run-state.ts';
import type { ResolvedGate } from '../workflow.ts';
import { escapeMarkdownCell } from './escape.ts';
import type { OpenGate } from './open-gate.ts';
import { questionQuote } from './question-quote.ts';

/** The open gate: which step, who may pass it, how many approvals count so far, and the commands that work now. */
export function renderGateSection(open: OpenGate, state: RunState): string {
  const { stage, step, gate, counted } = open;
  const name = escapeMarkdownCell(stage.name);
  if (open.question !== undefined) return questionSection(open, state);
  const lines = [`#### Open gate: ${name} (${step})`, ''];
  const how = gate.approver === 'review' ? 'an approving pull request review from ' : '';
  lines.push(`- **Who may approve:** ${how}${describeApprovers(gate)}${authorRule(gate, state)}`);
  const by = counted.map((a) => escapeMarkdownCell(a.by, 40)).join(', ');
  lines.push(`- **Approvals:** ${counted.length} of ${gate.min_approvals}${by === '' ? '' : ` (${by})`}`);
  const verdictStep = stage.verdict && step === 'response';
  if (verdictStep) {
    const output = state.stages[stage.id]?.output;
    const verdict = output?.verdict;
    const by =
      output?.verdict_by === undefined
        ? ''
        : ` (edited by ${escapeMarkdownCell(`@${output.verdict_by}`, 40)})`;
    const says = verdict === undefined ? 'states no verdict' : `says ${verdict.toUpperCase()}${by}`;
    lines.push(
      `- **Verdict:** the response ${says}; \`/approve\` follows it, \`/approve --complete\` overrides it to PASS, \`/approve --revise\` to FAIL`,
    );
  }
  const commands = [
    ...(gate.approver === 'review' ? [] : ['/approve [note]']),
    ...(verdictStep && gate.approver !== 'review' ? ['/approve --complete', '/approve --revise'] : []),
    '/reject <reason>',
    '/retry [feedback]',
  ];
  lines.push(`- **Commands:** ${commands.map((c) => `\`${c}\``).join(' · ')}`);
  return lines.join('\n');
}

/** A model asked people (`ask_human`): its question (inert), who may answer, and the commands that work now. */
function questionSection(open: OpenGate, state: RunState): string {
  const { stage, step, gate } = open;
  const from = open.question?.from ?? 'model';
  const asker = from === 'model' ? 'The model' : `The AI approver (\`${gate.approver}\`)`;
  const lines = [
    `#### Question: ${escapeMarkdownCell(stage.name)} (${step})`,
    '',
    `${asker} asks:`,
    '',
    questionQuote(open.question?.text ?? ''),
    '',
    `- **Who may answer:** ${describeApprovers(gate)}${authorRule(gate, state)}`,
  ];
  const commands = [
    '/answer <text>',
    ...(from === 'approver' ? ['/approve [note]'] : []),
    '/reject <reason>',
    '/retry [feedback]',
  ];
  lines.push(`- **Commands:** ${commands.map((c) => `\`${c}\``).join(' · ')}`);
  return lines.join('\n');
}

function authorRule(gate: ResolvedGate, state: RunState): string {
  if (gate.allow_author) return '';
  return state.subject.kind === 'pull_request'
    ? '; not the author or the last pusher of the pull request'
    : '; not the author of the issue';
}
