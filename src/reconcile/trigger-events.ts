import type { EngineEvent } from '../core/engine/events.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { SubjectEvent } from './subject-event.ts';

/**
 * Events only the webhook can tell: a push, a close, a re-run request, a dead stage workflow, a due timer, and for a
 * run waiting on a transition condition, that the subject may have changed.
 */
export function triggerEvents(
  subject: SubjectEvent,
  state: RunState,
  headSha: string | undefined,
): EngineEvent[] {
  const t = subject.trigger;
  const events: EngineEvent[] = [];
  const id = (kind: string) => `${kind}:${subject.deliveryId}`;
  if (headSha !== undefined && state.subject.head_sha !== undefined && headSha !== state.subject.head_sha) {
    events.push({
      id: `head:${headSha}`,
      type: 'head.moved',
      sha: headSha,
      pusher: t.kind === 'pushed' ? t.by : 'someone',
    });
  }
  if (subject.via === undefined && (t.kind === 'closed' || subject.state === 'closed')) {
    events.push({
      id: id('closed'),
      type: 'subject.closed',
      by: t.kind === 'closed' ? t.by : 'someone',
      merged: t.kind === 'closed' && t.merged,
    });
  }
  if (t.kind === 'workflow-failed' && t.runId === state.id) {
    events.push({
      id: id('workflow-run'),
      type: 'stage.failed',
      stage: state.stage,
      ...(t.nonce === undefined ? {} : { nonce: t.nonce }),
      error: `the stage workflow ${conclusionInWords(t.conclusion)} before reporting a result`,
      url: t.url,
    });
  }
  const wait = state.wait;
  if (wait?.for === 'condition') {
    // Any event may be the one a waiting condition needs (a label added or removed): evaluated again, over the
    // labels the payload carries now. Changes nothing, and writes nothing, while no condition holds.
    const visit = state.stages[state.stage]?.visits ?? 0;
    events.push({ id: `condition:${state.stage}.${visit}:${subject.deliveryId}`, type: 'subject.changed' });
  }
  const due = wait?.for === 'action' ? wait.deadline : wait?.for === 'delay' ? wait.until : undefined;
  if (due !== undefined && Date.now() >= Date.parse(due)) {
    events.push({ id: `timer:${due}`, type: 'timer.fired' });
  }
  return events;
}

/** A workflow run's conclusion as GitHub names it (`timed_out`, `startup_failure`...), in words. */
function conclusionInWords(conclusion: string): string {
  const words: Record<string, string> = {
    failure: 'failed',
    timed_out: 'timed out',
    cancelled: 'was cancelled',
    startup_failure: 'could not start',
    action_required: 'is waiting for someone to approve running it',
    stale: 'was marked stale by GitHub',
    skipped: 'was skipped',
    neutral: 'ended neutral',
  };
  return words[conclusion] ?? `ended with the conclusion "${conclusion}"`;
}
