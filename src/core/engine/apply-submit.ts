import { sha256Hex } from '../action-output.ts';
import type { SubmitCommand } from '../commands/command.ts';
import { parseVerdict } from '../verdict.ts';
import { currentStage, type Draft, record, reply, stageRecord } from './draft.ts';
import { hasPermission } from './eligibility.ts';
import type { Actor } from './events.ts';
import { progress } from './movement.ts';
import { statusLine } from './status-line.ts';

/**
 * `/submit <content>`: a person hands in the content a manual stage waits for. It becomes the stage's output (its
 * pointer is the comment, its sha256 the submitted text's, its author recorded so they cannot approve it), and the
 * stage's gate opens. Anything else is refused with a reply saying why and what the run waits for: a stage that is
 * not manual, content already handed in, a paused or failed run, someone without write permission, a comment
 * older than the wait. True when the content was taken.
 */
export function submitContent(d: Draft, c: SubmitCommand, actor: Actor): boolean {
  const stage = currentStage(d);
  const rec = stageRecord(d);
  const wait = d.state.wait;
  if (d.state.status === 'paused' || d.state.status === 'failed') {
    const how = d.state.status === 'paused' ? '`/resume` it' : '`/retry` the stage';
    return refuse(d, `Nothing was taken: ${statusLine(d.workflow, d.state)} ${how} first.`);
  }
  if (wait?.for !== 'content') {
    if (stage.mode !== 'manual')
      return refuse(
        d,
        `Nothing was taken: \`/submit\` hands in the content of a manual stage, and stage "${stage.id}" is an ${stage.mode} stage. ${statusLine(d.workflow, d.state)}`,
      );
    const retry =
      wait?.for === 'approval'
        ? ' `/retry [feedback]` or `/reject <reason>` by an approver asks for new content.'
        : '';
    return refuse(
      d,
      `Nothing was taken: stage "${stage.id}" has its content for attempt ${rec.attempt} already. ${statusLine(d.workflow, d.state)}${retry}`,
    );
  }
  if (actor.is_bot) return false;
  if (!hasPermission(actor, 'write')) {
    return refuse(
      d,
      `@${actor.login} cannot submit: handing in content needs write permission on this repository, and @${actor.login} has ${actor.permission}.`,
    );
  }
  const comment = d.event.type === 'command.received' ? d.event.comment_id : 0;
  // GitHub's order decides: a comment from before the wait began (bound to its comment, else its time) is too old.
  const at = d.ctx.at;
  const early =
    wait.after !== undefined
      ? comment <= wait.after
      : wait.since !== undefined && at !== undefined && Date.parse(at) < Date.parse(wait.since);
  if (early) {
    return refuse(
      d,
      `Nothing was taken: this comment is older than the request for the content of attempt ${rec.attempt} of stage "${stage.id}". Submit it again in a new comment.`,
    );
  }
  const verdict = stage.verdict ? parseVerdict(c.text) : undefined;
  rec.output = {
    attempt: rec.attempt,
    sha256: sha256Hex(c.text),
    pointer: { comment_id: comment },
    by: actor.login,
    ...(verdict === undefined ? {} : { verdict }),
  };
  const said = verdict === undefined ? '' : `, verdict ${verdict.toUpperCase()}`;
  record(d, `${stage.id}: content from @${actor.login}${said}`);
  const noVerdict =
    stage.verdict && verdict === undefined
      ? ' It states no verdict (a last line `Verdict: PASS` or `Verdict: FAIL`), so it counts as neither; an approver can set one with `/approve --complete` or `/approve --revise`.'
      : '';
  reply(
    d,
    `Taken: this comment is the content of stage "${stage.id}" (attempt ${rec.attempt}${said}), submitted by @${actor.login}.${noVerdict}`,
  );
  progress(d);
  return true;
}

function refuse(d: Draft, text: string): false {
  reply(d, text);
  return false;
}
