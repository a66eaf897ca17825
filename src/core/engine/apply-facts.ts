import { boundText, eventSource, TEXT_KEPT } from '../state/bounded-text.ts';
import type { StageRecord } from '../state/run-state.ts';
import { askPeople } from './ask-people.ts';
import { currentStage, type Draft, keptText, record, reply, stageRecord } from './draft.ts';
import { refusalToApprove } from './eligibility.ts';
import type { EventOf } from './events.ts';
import { contentSha, dispatch, failRun, progress, startWork } from './movement.ts';
import { addUsage } from './usage.ts';

/** True when an Action result belongs to what the run waits for now; stale or forged results are ignored. */
function expected(
  d: Draft,
  stage: string,
  nonce: string | undefined,
  step: 'prompt' | 'response' | 'approver',
) {
  const wait = d.state.wait;
  if (stage !== d.state.stage || wait?.for !== 'action' || wait.step !== step) return false;
  return nonce === undefined || nonce === wait.nonce;
}

export function onPromptRendered(d: Draft, e: EventOf<'prompt.rendered'>): void {
  if (!expected(d, e.stage, e.nonce, 'prompt')) {
    ignore(d, `a prompt for ${e.stage}`);
    return;
  }
  const rec = stageRecord(d);
  rec.prompt = { attempt: rec.attempt, sha256: e.sha256, pointer: e.pointer };
  record(d, `${e.stage}: prompt ready (attempt ${rec.attempt})`, undefined, 'flowgate');
  progress(d);
}

export function onResponseReceived(d: Draft, e: EventOf<'response.received'>): void {
  if (!expected(d, e.stage, e.nonce, 'response')) {
    ignore(d, `an output for ${e.stage}`);
    return;
  }
  const rec = stageRecord(d);
  rec.output = {
    attempt: rec.attempt,
    sha256: e.sha256,
    pointer: e.pointer,
    ...(e.verdict === undefined ? {} : { verdict: e.verdict }),
    ...(e.choice === undefined ? {} : { choice: e.choice }),
  };
  addUsage(rec.usage, e.usage);
  addUsage(d.state.usage, e.usage);
  if (currentStage(d).output === 'pull_request') d.state.subject.head_sha = e.sha256;
  const verdict = e.verdict === undefined ? '' : `, verdict ${e.verdict.toUpperCase()}`;
  record(d, `${e.stage}: output ready (attempt ${rec.attempt}${verdict})`, undefined, 'flowgate');
  if (e.question !== undefined) {
    askPeople(d, 'model', 'response', e.question);
    return;
  }
  progress(d);
}

export function onApproverDecided(d: Draft, e: EventOf<'approver.decided'>): void {
  if (!expected(d, e.stage, e.nonce, 'approver')) {
    ignore(d, `an AI decision for ${e.stage}`);
    return;
  }
  const stage = currentStage(d);
  const rec = stageRecord(d);
  const wait = d.state.wait;
  const of = wait?.for === 'action' && wait.of !== undefined ? wait.of : 'response';
  const gate = of === 'prompt' ? stage.prompt_gate : stage.gate;
  const by = gate.approver;
  addUsage(rec.usage, e.usage);
  addUsage(d.state.usage, e.usage);
  if (e.decision === 'ask_human') {
    askPeople(d, 'approver', of, e.question ?? e.feedback);
    return;
  }
  const base = { by, attempt: rec.attempt, at: d.ctx.now, step: of, event: e.id, via: 'ai' as const };
  if (e.decision === 'approved') {
    rec.approvals.push({
      ...base,
      sha256: contentSha(d, of),
      ...(e.feedback === '' ? {} : { note: keptText(d, e.feedback) }),
    });
    record(d, `${stage.id}: ${of} approved by ${by}`, e.feedback || undefined, by);
    progress(d);
    return;
  }
  rec.rejections.push({ ...base, reason: keptText(d, e.feedback) });
  rec.retries++;
  rec.visit_retries++;
  record(
    d,
    `${stage.id}: ${of} rejected by ${by} (${rec.visit_retries} of ${gate.max_retries} retries)`,
    e.feedback,
    by,
  );
  if (rec.visit_retries > gate.max_retries) {
    failRun(
      d,
      `${by} rejected the ${of} of "${stage.id}" ${rec.visit_retries} times (max_retries ${gate.max_retries}); last feedback: ${e.feedback}`,
    );
    return;
  }
  rec.feedback = keptText(d, e.feedback);
  delete rec.feedback_from;
  if (d.state.status === 'paused' && d.state.resume !== undefined) {
    // Held by /pause: the next attempt starts (budgets checked) when the run is resumed.
    d.state.wait = undefined;
    d.state.resume.action = 'start';
    return;
  }
  if (stage.mode === 'manual' && of === 'response') {
    // A person wrote the content: the stage asks them for new content, with the approver's feedback.
    startWork(d);
    return;
  }
  rec.attempt++;
  dispatch(d, of);
}

export function onStageFailed(d: Draft, e: EventOf<'stage.failed'>): void {
  const wait = d.state.wait;
  if (
    e.stage !== d.state.stage ||
    wait?.for !== 'action' ||
    (e.nonce !== undefined && e.nonce !== wait.nonce)
  ) {
    ignore(d, `a failure report for ${e.stage}`);
    return;
  }
  const rec = stageRecord(d);
  const where = e.url === undefined ? '' : ` (${e.url})`;
  rec.last_error = boundText(`${e.error}${where}`, TEXT_KEPT, eventSource(e.id));
  failRun(d, `stage "${e.stage}" failed: ${e.error}${where}`);
}

export function onHeadMoved(d: Draft, e: EventOf<'head.moved'>): void {
  const before = d.state.subject.head_sha;
  d.state.subject.head_sha = e.sha;
  d.state.subject.last_pusher = e.pusher;
  const rec = stageRecord(d);
  if (e.same_tree === true) {
    keepApprovalsOfSameTree(d, e, before);
    progress(d);
    return;
  }
  if (currentStage(d).output === 'pull_request' && rec.output !== undefined && rec.output.sha256 !== e.sha) {
    const had = rec.approvals.some(
      (a) => a.step === 'response' && a.sha256 === rec.output?.sha256 && a.via !== 'skip',
    );
    rec.output.sha256 = e.sha;
    record(
      d,
      `new commits by @${e.pusher}`,
      had ? 'approvals of the previous head no longer count' : undefined,
      e.pusher,
    );
    reaskApprover(d, 'response');
  } else if (d.state.subject.kind === 'pull_request' && d.state.wait?.for === 'approval') {
    // On a run whose subject is the pull request, an approval was of the code as it was: new commits void it.
    const step = d.state.wait.step;
    const voided = rec.approvals.filter(
      (a) => a.step === step && a.attempt === rec.attempt && a.via !== 'skip',
    );
    if (voided.length > 0) {
      rec.approvals = rec.approvals.filter((a) => !voided.includes(a));
      record(
        d,
        `new commits by @${e.pusher}`,
        `the approvals of ${voided.map((a) => `@${a.by}`).join(', ')} were of the previous head and no longer count`,
        e.pusher,
      );
    }
  }
  progress(d);
}

/**
 * New commits with the same files as the head they replace (as Prow keeps an LGTM across a rebase that changes no
 * file): the approvals go on counting, bound to the new head, except the pusher's own (the last pusher is treated
 * like the author).
 */
function keepApprovalsOfSameTree(d: Draft, e: EventOf<'head.moved'>, before: string | undefined): void {
  const rec = stageRecord(d);
  const pusher = e.pusher.toLowerCase();
  const own = rec.approvals.filter((a) => a.by.toLowerCase() === pusher && a.via !== 'skip');
  rec.approvals = rec.approvals.filter((a) => !own.includes(a));
  // A code stage's output is its pull request's head: its approvals move to the new head with it.
  const output = rec.output;
  if (currentStage(d).output === 'pull_request' && output !== undefined) {
    for (const a of rec.approvals) if (a.step === 'response' && a.sha256 === output.sha256) a.sha256 = e.sha;
    output.sha256 = e.sha;
  }
  record(
    d,
    `new commits by @${e.pusher} with the same files as ${(before ?? '').slice(0, 7)}`,
    own.length > 0
      ? `the other approvals still count; @${e.pusher}'s own no longer does (the last pusher is treated like the author)`
      : 'the approvals still count',
    e.pusher,
  );
}

export function onContentEdited(d: Draft, e: EventOf<'content.edited'>): void {
  if (e.stage !== d.state.stage) return;
  const rec = stageRecord(d);
  const content = e.step === 'prompt' ? rec.prompt : rec.output;
  if (content === undefined || content.sha256 === e.sha256) return;
  const had = rec.approvals.some((a) => a.step === e.step && a.sha256 === content.sha256 && a.via !== 'skip');
  content.sha256 = e.sha256;
  record(
    d,
    `${e.stage}: ${e.step} edited by @${e.by}`,
    had ? 'approvals of the earlier text no longer count' : undefined,
    e.by,
  );
  if (e.step === 'response' && rec.output !== undefined) editedVerdict(d, e, rec.output);
  reaskApprover(d, e.step);
  progress(d);
}

/**
 * The verdict line of a review's output, edited by hand: the edited verdict counts when its editor may approve
 * the stage (as `/approve --complete|--revise` would), and the record says whose it is; an edit by anyone else
 * leaves the verdict as it was, and the history and a reply say why.
 */
function editedVerdict(
  d: Draft,
  e: EventOf<'content.edited'>,
  output: NonNullable<StageRecord['output']>,
): void {
  const stage = currentStage(d);
  if (!stage.verdict || e.verdict === undefined || e.verdict === output.verdict) return;
  const word = e.verdict.toUpperCase();
  const refusal =
    e.editor === undefined
      ? `GitHub does not say who made the edit`
      : refusalToApprove(e.editor, stage.gate, d.state.subject, output.by);
  if (refusal !== undefined) {
    const kept = output.verdict === undefined ? 'no verdict' : output.verdict.toUpperCase();
    record(d, `${stage.id}: verdict ${word} edited by @${e.by} not counted`, refusal, e.by);
    reply(
      d,
      `The output of "${stage.id}" now reads verdict ${word}, but the edit does not count: ${refusal}. The verdict stays ${kept}; an approver can \`/approve --complete\` or \`/approve --revise\`.`,
    );
    return;
  }
  output.verdict = e.verdict;
  output.verdict_by = e.by;
  record(d, `${stage.id}: verdict set to ${word} by @${e.by} (edited output)`, undefined, e.by);
}

/**
 * The output of a stage now reads as flowgate rewrote it (its verdict overridden): the state's hash follows the
 * text, and the approvals that went with the override follow it too, so later stages can read the output.
 */
export function onOutputRewritten(d: Draft, e: EventOf<'output.rewritten'>): void {
  const rec = d.state.stages[e.stage];
  const output = rec?.output;
  if (rec === undefined || output === undefined || output.sha256 === e.sha256) return;
  for (const a of rec.approvals) if (a.step === 'response' && a.sha256 === output.sha256) a.sha256 = e.sha256;
  output.sha256 = e.sha256;
}

/** An AI approver judging content that just changed would approve the old text: ask it again, with a new nonce. */
function reaskApprover(d: Draft, step: 'prompt' | 'response'): void {
  const wait = d.state.wait;
  if (wait?.for !== 'action' || wait.step !== 'approver' || (wait.of ?? 'response') !== step) return;
  dispatch(d, 'approver', step);
}

export function onTimer(d: Draft): void {
  const wait = d.state.wait;
  const active = d.state.status === 'running' || d.state.status === 'awaiting_approval';
  if (active && wait?.for === 'action' && Date.parse(d.ctx.now) >= Date.parse(wait.deadline)) {
    failRun(d, `stage "${d.state.stage}" timed out: no ${wait.step} arrived by ${wait.deadline}`);
    return;
  }
  progress(d);
}

/** A result nobody waits for (a stale attempt, a forged nonce): recorded in the history, never applied. */
function ignore(d: Draft, what: string): void {
  record(d, `ignored ${what}`, 'the run is not waiting for it (stale attempt or wrong nonce)', 'flowgate');
}
