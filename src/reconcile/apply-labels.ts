import type { Effect } from '../core/engine/effects.ts';
import { ensureLabels, type LabelSpec } from '../github/ensure-labels.ts';
import { batchingRefused, labelIdsFor } from '../github/label-ids.ts';
import { labelChanges, setIssueLabels } from '../github/set-issue-labels.ts';
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
  const specs = labelSpecs(w, add);
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

/** The labels a run adds, as they are created when the repository lacks them: its color, and what each says. */
function labelSpecs(w: RunWork, names: string[]): LabelSpec[] {
  const describe = (name: string) =>
    name === w.workflow.labels.awaiting_approval
      ? 'flowgate: a gate waits for a person'
      : `flowgate: the ${w.workflow.name} run is at this stage`;
  return names.map((name) => ({ name, color: w.workflow.labels.color, description: describe(name) }));
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
  deps: Pick<ReconcileDeps, 'labels' | 'labelAnswers' | 'labelIds'>,
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
  deps: Pick<ReconcileDeps, 'labels' | 'labelAnswers' | 'labelIds'>,
): Promise<string[]> {
  await ensureLabels(octokit, issue, specs, knownLabels(deps, issue), deps.labelIds);
  return setIssueLabels(
    octokit,
    issue,
    current,
    specs.map((s) => s.name),
    remove,
    deps.labelAnswers,
    deps.labelIds,
  );
}

/**
 * What the run's label effects ask for, as `executeEffects` applies them: the last label effect's labels on, and
 * those an earlier one took off still off unless the last adds them. Undefined when no effect is about labels.
 */
export function labelPlan(effects: readonly Effect[]): { add: string[]; remove: string[] } | undefined {
  const labels = effects.flatMap((e) => (e.type === 'labels.set' ? [e] : []));
  const last = labels.at(-1);
  if (last === undefined) return undefined;
  const remove = new Set(labels.flatMap((e) => e.remove));
  for (const label of last.add) remove.delete(label);
  return { add: last.add, remove: [...remove] };
}

/** Label changes that ride with a status comment's edit (`labelsToBatch`): names, and their node ids. */
export interface BatchedLabels {
  subjectNodeId: string;
  add: string[];
  remove: string[];
  addIds: string[];
  removeIds: string[];
}

/**
 * The label changes that can ride with the status comment's edit in one GraphQL request (`updateCommentWithLabels`):
 * the run's label plan against the subject's labels, when the node ids of the subject and of the labels to take off
 * are known. A label to add that the repository lacks is created first (as `applyLabels` would; its answer gives its
 * id). Undefined when there is nothing to change, labels are held for later, or an id is not known: then
 * `executeEffects` writes them through REST as usual. Cost: 1 POST per label the repository lacks.
 */
export async function labelsToBatch(
  octokit: Octo,
  w: RunWork,
  subject: { labels: string[]; nodeId?: string },
  issue: IssueRef,
  deps: Pick<ReconcileDeps, 'labels' | 'labelIds' | 'heldLabels'>,
): Promise<BatchedLabels | undefined> {
  const ids = deps.labelIds;
  if (ids === undefined || deps.heldLabels !== undefined || subject.nodeId === undefined) return undefined;
  if (batchingRefused(ids, issue)) return undefined;
  if (w.comment?.nodeId === undefined) return undefined;
  const plan = labelPlan(w.effects);
  if (plan === undefined) return undefined;
  const { toAdd, toRemove } = labelChanges(subject.labels, plan.add, plan.remove);
  if (toAdd.length === 0 && toRemove.length === 0) return undefined;
  const removeIds = labelIdsFor(ids, issue, toRemove);
  if (removeIds === undefined) return undefined;
  // A label the repository lacks is created here (its answer gives its id); one it has whose id this process never
  // saw leaves the labels to REST, which adds it by name.
  await ensureLabels(octokit, issue, labelSpecs(w, toAdd), knownLabels(deps, issue), ids);
  const addIds = labelIdsFor(ids, issue, toAdd);
  if (addIds === undefined) return undefined;
  return { subjectNodeId: subject.nodeId, add: toAdd, remove: toRemove, addIds, removeIds };
}

/** The labels known to exist in the subject's repository (`ReconcileDeps.labels`), the set kept there. */
function knownLabels(deps: Pick<ReconcileDeps, 'labels'>, issue: IssueRef): Set<string> {
  const key = `${issue.owner}/${issue.repo}`;
  const known = deps.labels.get(key) ?? new Set<string>();
  deps.labels.set(key, known);
  return known;
}
