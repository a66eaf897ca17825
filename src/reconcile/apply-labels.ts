import { ensureLabels, type LabelSpec } from '../github/ensure-labels.ts';
import { setIssueLabels } from '../github/set-issue-labels.ts';
import type { IssueRef, Octo } from '../github/types.ts';
import type { EffectContext } from './effect-context.ts';
import type { ReconcileDeps, RunWork } from './reconcile-deps.ts';

/**
 * Sets the run's labels on the subject, creating the ones the repository does not have yet. Cost: set-issue-labels.ts
 * (one write), plus 1 POST per label the repository lacks.
 */
export async function applyLabels(
  w: RunWork,
  c: EffectContext,
  add: string[],
  remove: string[],
): Promise<void> {
  const describe = (name: string) =>
    name === w.workflow.labels.awaiting_approval
      ? 'flowgate: a gate waits for a person'
      : `flowgate: the ${w.workflow.name} run is at this stage`;
  const specs = add.map((name) => ({ name, color: w.workflow.labels.color, description: describe(name) }));
  const held = c.deps.heldLabels;
  if (held !== undefined) {
    // Held for one write when the caller is done (see `ReconcileDeps.heldLabels`): a later change wins.
    for (const name of remove) {
      held.add.delete(name);
      held.remove.add(name);
    }
    for (const spec of specs) {
      held.remove.delete(spec.name);
      held.add.set(spec.name, spec);
    }
    return;
  }
  c.subject.labels = await writeLabels(c.octokit, c.issue, c.subject.labels, specs, remove, c.deps);
}

/** Label changes held back to be written at once (`ReconcileDeps.heldLabels`): what to add, what to take off. */
export interface HeldLabels {
  add: Map<string, LabelSpec>;
  remove: Set<string>;
}

/**
 * Writes the label changes `held` gathered, in one request, on the subject whose labels are `current`, and empties
 * it. Returns the labels the subject has afterwards. Cost: as `applyLabels`, once.
 */
export async function flushHeldLabels(
  octokit: Octo,
  issue: IssueRef,
  current: string[],
  held: HeldLabels,
  deps: Pick<ReconcileDeps, 'labels' | 'labelAnswers'>,
): Promise<string[]> {
  const specs = [...held.add.values()];
  const remove = [...held.remove];
  held.add.clear();
  held.remove.clear();
  return writeLabels(octokit, issue, current, specs, remove, deps);
}

async function writeLabels(
  octokit: Octo,
  issue: IssueRef,
  current: string[],
  specs: LabelSpec[],
  remove: string[],
  deps: Pick<ReconcileDeps, 'labels' | 'labelAnswers'>,
): Promise<string[]> {
  const key = `${issue.owner}/${issue.repo}`;
  const known = deps.labels.get(key) ?? new Set<string>();
  deps.labels.set(key, known);
  await ensureLabels(octokit, issue, specs, known);
  return setIssueLabels(
    octokit,
    issue,
    current,
    specs.map((s) => s.name),
    remove,
    deps.labelAnswers,
  );
}
