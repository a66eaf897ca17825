import { contentAuthor, reject } from './apply-command.ts';
import { currentStage, type Draft, record, reply, stageRecord } from './draft.ts';
import { refusalToApprove, refusalWithApprovers } from './eligibility.ts';
import type { EventOf } from './events.ts';
import { contentSha, countedApprovers, progress } from './movement.ts';

/**
 * A pull request review: an approval counts for `manual` and `review` gates on the response; "changes
 * requested" rejects with the review body as the reason.
 */
export function applyReview(d: Draft, e: EventOf<'review.submitted'>): void {
  if (e.state === 'commented' || e.actor.is_bot) return;
  const wait = d.state.wait;
  if (d.state.status !== 'awaiting_approval' || wait?.for !== 'approval' || wait.step !== 'response') return;
  const stage = currentStage(d);
  const gate = stage.gate;
  if (gate.approver !== 'manual' && gate.approver !== 'review') return;
  if (e.state === 'changes_requested') {
    reject(d, e.actor, e.body.trim() === '' ? 'changes requested in a review' : e.body.trim(), 'review');
    return;
  }
  const refusal = refusalToApprove(e.actor, gate, d.state.subject, contentAuthor(d, 'response'));
  if (refusal !== undefined) {
    reply(d, `The review by @${e.actor.login} does not count: ${refusalWithApprovers(refusal, gate)}`);
    return;
  }
  const rec = stageRecord(d);
  const sha = contentSha(d, 'response');
  const head = d.state.subject.kind === 'pull_request' ? d.state.subject.head_sha : undefined;
  if (head !== undefined && e.head_sha !== '' && e.head_sha !== head && stage.output !== 'pull_request') {
    reply(
      d,
      `The review by @${e.actor.login} approved commit ${e.head_sha.slice(0, 7)}, but the pull request is now at ${head.slice(0, 7)}; approve the latest commit.`,
    );
    return;
  }
  if (stage.output === 'pull_request' && e.head_sha !== sha) {
    reply(
      d,
      `The review by @${e.actor.login} approved commit ${e.head_sha.slice(0, 7)}, but the pull request is now at ${sha.slice(0, 7)}; approve the latest commit.`,
    );
    return;
  }
  if (countedApprovers(d, 'response').includes(e.actor.login)) return;
  rec.approvals.push({
    by: e.actor.login,
    attempt: rec.attempt,
    at: d.ctx.now,
    step: 'response',
    sha256: sha,
    via: 'review',
    event: e.id,
  });
  record(d, `${stage.id}: approved in a review by @${e.actor.login}`, undefined, e.actor.login);
  progress(d);
}

/**
 * A review that approved was dismissed: the approval it gave no longer counts, on the gate it was given to while
 * that gate is open (a gate already passed stays passed; the history says so either way).
 */
export function applyDismissal(d: Draft, e: EventOf<'review.dismissed'>): void {
  for (const [id, rec] of Object.entries(d.state.stages)) {
    if (!rec.approvals.some((a) => a.event === e.approval)) continue;
    const open = id === d.state.stage && d.state.wait?.for === 'approval';
    if (open) rec.approvals = rec.approvals.filter((a) => a.event !== e.approval);
    record(
      d,
      open
        ? `${id}: the approval of @${e.reviewer} no longer counts`
        : `${id}: the review of @${e.reviewer} was dismissed`,
      open ? 'the review was dismissed' : 'after the gate had passed: the run goes on',
    );
  }
}
