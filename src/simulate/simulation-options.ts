import type { ResolvedSubject } from '../core/simulate/resolved-subject.ts';
import type { Script, ScriptStep } from '../core/simulate/script.ts';
import type { SimulationResult, TranscriptEntry } from '../core/simulate/simulation.ts';
import type { RunState } from '../core/state/run-state.ts';
import type { MemoryGitHub } from '../memory-github/memory-github.ts';
import type { SubjectEvent } from '../reconcile/subject-event.ts';

/** The Ed25519 private key that signs simulated state blocks: published, so it signs nothing real. */
export const DEMO_STATE_KEY = 'fgsk1_ellFeJT2rH8EKmKtW-SGyj1softp3lGdevwmL4G9mOU';

export interface GitHubSimulationOptions {
  /** The workflow file's path and text, as they would be in `.github/flowgate/`. */
  file: { path: string; text: string };
  script?: { script: Script; steps: ScriptStep[] };
  maxEvents?: number;
  /**
   * Asked what people do next once the script has no more steps (the interactive simulation), with the transcript
   * so far. Undefined stops the simulation there. Absent: the script's `finish` decides.
   */
  decide?: (state: RunState, entries: readonly TranscriptEntry[]) => Promise<ScriptStep | undefined>;
  /**
   * How news of the subject reaches flowgate. Default: the reconcile layer is called in this process, as the Action
   * alone calls it, and stage steps run at once. With a shell, each event is delivered to it (the app, given a
   * webhook), stage steps run when its `workflow_dispatch` appears on the in-memory GitHub, and their outputs are
   * delivered to it as the comments they are.
   */
  shell?: SimulationShell;
}

/** flowgate as something outside the simulation: it is told what happened and acts on the in-memory GitHub. */
export interface SimulationShell {
  deliver: (event: SubjectEvent, on: { github: MemoryGitHub; now: () => string }) => Promise<void>;
  /**
   * Called once the run has nothing more to do for the moment: a shell that held deliveries back (to try dropped,
   * late or repeated webhooks) delivers them now, before the next person acts.
   */
  settle?: (on: { github: MemoryGitHub; now: () => string }) => Promise<void>;
}

/** A finished simulation, with the in-memory GitHub it ran on (what the issue and its pull requests hold). */
export interface GitHubSimulationResult extends SimulationResult {
  github: MemoryGitHub;
  subject: ResolvedSubject;
}
