import { parseActionOutput, sha256Hex } from '../core/action-output.ts';
import { parseCommands } from '../core/commands/parse-commands.ts';
import { formatSeconds } from '../core/simulate/format-seconds.ts';
import type { ScriptStep } from '../core/simulate/script.ts';
import { runPullNumber } from '../core/state/run-pull-number.ts';
import { rewriteVerdict } from '../core/verdict.ts';
import type { SimulationSession } from './simulation-session.ts';

/**
 * Makes one scripted step happen on the in-memory GitHub as a person or time makes it happen on GitHub (a comment,
 * a review of the pull request's head, a push, an edit of flowgate's comment, a label added or removed, time
 * passing), then tells flowgate; a new version of the workflow file is committed to the default branch, and tells
 * nobody (as on GitHub).
 * `answer` and `approver` steps happen nowhere: they wait for the next step of their stage (`takeOverrides`).
 */
export async function performStep(session: SimulationSession, step: ScriptStep): Promise<void> {
  const { github, subject } = session;
  switch (step.kind) {
    case 'answer':
    case 'approver':
      return;
    case 'comment':
    case 'content': {
      const { by, body: written } = step.kind === 'comment' ? step.comment : step.content;
      // Content is handed in as a person does on GitHub: a comment that starts with `/submit`.
      const body = step.kind === 'content' ? `/submit\n${written}` : written;
      const comment = github.addComment(subject.number, by, body, by.endsWith('[bot]') ? 'Bot' : 'User');
      const { commands, problems } = parseCommands(body);
      const notes = problems.map((p) => `not a command (line ${p.line}): ${p.message}`);
      const said =
        step.kind === 'content'
          ? `/submit by @${by} (${written.length} characters of content)`
          : commands.length === 0
            ? `comment by @${by} with no command: ${firstLine(body)}`
            : `comment by @${by}: ${commands.map((c) => c.raw.trim()).join('; ')}`;
      await session.happen({ kind: 'comment', commentId: comment.id }, said, notes);
      return;
    }
    case 'review': {
      const pull = session.state === undefined ? undefined : runPullNumber(session.state);
      const stored = pull === undefined ? undefined : github.pulls.get(pull);
      if (pull === undefined || stored === undefined) {
        session.note(`review by @${step.review.by}: there is no pull request to review yet`);
        return;
      }
      const head = github.branchHead(stored.headRef ?? '') ?? stored.head;
      github.addReview(pull, step.review.by, step.review.state.toUpperCase(), step.review.body, head);
      const body = step.review.body.trim() === '' ? '' : `: ${firstLine(step.review.body)}`;
      const verdict = step.review.state.replace('_', ' ');
      await session.happen(
        { kind: 'review' },
        `review by @${step.review.by}: ${verdict} at ${head.slice(0, 7)}${body}`,
      );
      return;
    }
    case 'push': {
      const pull = session.state === undefined ? undefined : runPullNumber(session.state);
      const stored = pull === undefined ? undefined : github.pulls.get(pull);
      if (pull === undefined || stored === undefined) {
        session.note(`push by @${step.push.by}: there is no pull request to push to yet`);
        return;
      }
      const head = sha256Hex(`push\0${pull}:${session.events}:${step.push.by}`).slice(0, 40);
      stored.head = head;
      if (stored.headRef !== undefined) github.branches.set(stored.headRef, { head, files: new Map() });
      await session.happen(
        { kind: 'pushed', headSha: head, by: step.push.by },
        `push by @${step.push.by} to #${pull}: head ${head.slice(0, 7)}`,
      );
      return;
    }
    case 'wait':
      session.clock += step.wait * 1000;
      await session.happen({ kind: 'timer' }, `timer fired after waiting ${formatSeconds(step.wait)}`);
      return;
    case 'label':
    case 'unlabel': {
      const { by, name } = step.kind === 'label' ? step.label : step.unlabel;
      const labels = github.issues.get(subject.number)?.labels ?? [];
      const has = labels.includes(name);
      if (step.kind === 'label' ? has : !has) {
        session.note(
          `@${by} ${step.kind === 'label' ? 'adds' : 'removes'} the label "${name}": it is ${has ? 'already there' : 'not there'}`,
        );
        return;
      }
      if (step.kind === 'label') labels.push(name);
      else labels.splice(labels.indexOf(name), 1);
      await session.happen(
        step.kind === 'label'
          ? { kind: 'labeled', label: name, by, byBot: false }
          : { kind: 'unlabeled', label: name, by },
        `@${by} ${step.kind === 'label' ? 'adds' : 'removes'} the label "${name}"`,
      );
      return;
    }
    case 'edit': {
      const { stage, step: which, by, verdict } = step.edit;
      const record = session.state?.stages[stage];
      const pointer = which === 'prompt' ? record?.prompt?.pointer : record?.output?.pointer;
      const comment = github.comments.find((c) => c.id === pointer?.comment_id);
      if (comment === undefined) {
        session.note(`edit of the ${which} of ${stage} by @${by}: it has no comment to edit`);
        return;
      }
      const parsed = parseActionOutput(comment.body);
      // Before flowgate's hidden marker in its own comments; at the end of a person's `/submit` comment.
      const note = `\n\n_Edited by @${by}._`;
      const edited =
        verdict !== undefined && parsed?.ok === true
          ? comment.body.replace(parsed.visible, () => rewriteVerdict(parsed.visible, verdict))
          : comment.body.includes('<!--')
            ? comment.body.replace(/(\n*<!--)/, `${note}$1`)
            : `${comment.body}${note}`;
      // As on GitHub: the edit has an editor, whom flowgate asks about before it trusts the text.
      github.editComment(comment.id, by, edited);
      const what = verdict === undefined ? '' : ` (verdict line set to ${verdict.toUpperCase()})`;
      await session.happen(
        { kind: 'comment', commentId: comment.id },
        `edit of the ${which} of ${stage} by @${by}${what}`,
      );
      return;
    }
    case 'workflow': {
      // As on GitHub: a commit to the default branch tells no run; each run takes it at its next event.
      github.files.set(session.workflowPath, step.workflow.text);
      session.note(
        `@${step.workflow.by} commits a new version of ${session.workflowPath} to the default branch (blob ${github.blobSha(step.workflow.text).slice(0, 7)}): the run takes it at its next event`,
      );
      return;
    }
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
