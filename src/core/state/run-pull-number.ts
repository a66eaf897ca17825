import type { RunState } from './run-state.ts';

/**
 * The run's pull request: the one its code stages opened and push to (the latest a stage's output names), or else
 * the subject itself when the run is on a pull request; undefined for a run on an issue before any code stage
 * ran. `pr.*` in templates, and the pull request later code stages push to, mean this one.
 */
export function runPullNumber(state: RunState): number | undefined {
  const opened = codeStagePull(state);
  if (opened !== undefined) return opened.number;
  return state.subject.kind === 'pull_request' ? state.subject.number : undefined;
}

/**
 * The pull request an earlier code stage of the run opened, with the heads flowgate pushed to it (every code
 * stage's latest output on it), or undefined when no code stage has published yet. `except` leaves one stage
 * out: a stage retrying its own first pull request replaces it rather than building on it.
 */
export function codeStagePull(
  state: RunState,
  except?: string,
): { number: number; heads: string[] } | undefined {
  let number: number | undefined;
  for (const [id, record] of Object.entries(state.stages)) {
    const pull = record.output?.pointer.pull_number;
    if (pull !== undefined && id !== except) number = pull;
  }
  if (number === undefined) return undefined;
  const heads = Object.values(state.stages).flatMap((record) =>
    record.output?.pointer.pull_number === number ? [record.output.sha256] : [],
  );
  return { number, heads };
}
