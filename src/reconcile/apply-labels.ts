import { ensureLabels } from '../github/ensure-labels.ts';
import { setIssueLabels } from '../github/set-issue-labels.ts';
import type { EffectContext } from './effect-context.ts';
import type { RunWork } from './reconcile-deps.ts';

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
  const key = `${c.issue.owner}/${c.issue.repo}`;
  const known = c.deps.labels.get(key) ?? new Set<string>();
  c.deps.labels.set(key, known);
  const describe = (name: string) =>
    name === w.workflow.labels.awaiting_approval
      ? 'flowgate: a gate waits for a person'
      : `flowgate: the ${w.workflow.name} run is at this stage`;
  await ensureLabels(
    c.octokit,
    c.issue,
    add.map((name) => ({ name, color: w.workflow.labels.color, description: describe(name) })),
    known,
  );
  c.subject.labels = await setIssueLabels(
    c.octokit,
    c.issue,
    c.subject.labels,
    add,
    remove,
    c.deps.labelAnswers,
  );
}
