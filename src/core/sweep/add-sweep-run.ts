import { SweepInputError } from './sweep-error.ts';
import { RUNS_KEPT, type SweepState } from './sweep-state.ts';

/**
 * Notes that the Actions run at `url` works on the current sweep (the shell calls it before the first batch it
 * runs), so that the dashboard links every run whose log and summary tell part of the sweep. Once per run: the
 * same run twice in a row changes nothing. Only the newest `RUNS_KEPT` runs are kept (`run_url` keeps the first).
 */
export function addSweepRun(state: SweepState, url: string): SweepState {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new SweepInputError('an Actions run needs a non-empty URL');
  }
  const sweep = state.current;
  if (sweep === undefined) throw new SweepInputError('there is no sweep to add an Actions run to');
  const runs = sweep.runs ?? (sweep.run_url === undefined ? [] : [sweep.run_url]);
  if (runs.at(-1) === url)
    return sweep.runs === undefined ? { ...state, current: { ...sweep, runs } } : state;
  return { ...state, current: { ...sweep, runs: [...runs, url].slice(-RUNS_KEPT) } };
}
