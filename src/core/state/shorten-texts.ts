import { boundText } from './bounded-text.ts';
import type { RunState, StageRecord } from './run-state.ts';

/**
 * The state with every free text people or models put into it (rejection reasons, approval notes, feedback,
 * questions a model asked and their answers, errors, the pause reason, history reasons) cut to at most about
 * `max` characters (`boundText`). The last resort of `trimState` for a state that does not fit otherwise: the run
 * stays writable, and each cut text says so.
 */
export function shortenTexts(state: RunState, max: number): RunState {
  const cut = (text: string): string => boundText(text, max);
  const stages: Record<string, StageRecord> = {};
  for (const [id, record] of Object.entries(state.stages)) {
    stages[id] = {
      ...record,
      approvals: record.approvals.map((a) => (a.note === undefined ? a : { ...a, note: cut(a.note) })),
      rejections: record.rejections.map((r) => ({ ...r, reason: cut(r.reason) })),
      ...(record.feedback === undefined ? {} : { feedback: cut(record.feedback) }),
      ...(record.asked === undefined
        ? {}
        : { asked: record.asked.map((a) => ({ ...a, question: cut(a.question), answer: cut(a.answer) })) }),
      ...(record.last_error === undefined ? {} : { last_error: cut(record.last_error) }),
    };
  }
  return {
    ...state,
    stages,
    history: state.history.map((h) => (h.reason === undefined ? h : { ...h, reason: cut(h.reason) })),
    ...(state.resume === undefined ? {} : { resume: { ...state.resume, reason: cut(state.resume.reason) } }),
    ...(state.last_error === undefined ? {} : { last_error: cut(state.last_error) }),
  };
}
