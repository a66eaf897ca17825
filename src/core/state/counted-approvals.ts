import type { Approval, StageRecord } from './run-state.ts';

/**
 * The approvals of a stage's step that still count, one per person: of the current attempt, of the content as it
 * is now (its sha256), and not given by a `skip` gate. The one rule the engine and the status comment share.
 */
export function countedApprovals(record: StageRecord | undefined, step: 'prompt' | 'response'): Approval[] {
  if (record === undefined) return [];
  const content = step === 'prompt' ? record.prompt?.sha256 : record.output?.sha256;
  const counted: Approval[] = [];
  for (const a of record.approvals) {
    if (a.step !== step || a.via === 'skip' || a.attempt !== record.attempt || a.sha256 !== (content ?? ''))
      continue;
    if (!counted.some((c) => c.by === a.by)) counted.push(a);
  }
  return counted;
}
