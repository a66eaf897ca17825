import { formatDiagnostic } from '../core/diagnostic.ts';
import { step } from '../core/engine/step.ts';
import type { IssueComment, IssueRef, Octo, RepoRef } from '../github/types.ts';
import { type CurrentDefinition, currentDefinition } from './current-definition.ts';
import { postReply } from './post-reply.ts';
import type { ReconcileDeps, RunWork } from './reconcile-deps.ts';

export interface AdoptContext {
  octokit: Octo;
  issue: IssueRef;
  /** The repository and its default branch: the only place a workflow file changes running runs. */
  repo: RepoRef & { ref: string };
  comments: IssueComment[];
  deps: ReconcileDeps;
  ctx: () => { now: string; nonce: string };
}

/**
 * Before a run applies its next events, moves it to the workflow file of its name as the default branch holds it
 * now, when that is another blob than the one the run pinned: the engine's `definition.changed` (the run carries on
 * in its stage, moves to the stage that `replaces` it, or pauses and says how to go on), and `w.workflow` is the
 * new definition from then on. A file that was deleted or no longer loads changes nothing: the run keeps the
 * definition it has, and says so once on the subject (one reply per run and version of the file).
 * Cost: see `currentDefinition` (1 conditional GET, free while `.github/flowgate/` is unchanged); 1 POST for the
 * reply about a deleted or broken file, once.
 */
export async function adoptDefinition(w: RunWork, c: AdoptContext): Promise<void> {
  const current = await currentDefinition(c.octokit, c.repo, w.state, c.deps);
  if (current.kind === 'same') return;
  if (current.kind === 'changed') {
    const event = {
      id: `definition:${current.sha}:${w.state.rev}`,
      type: 'definition.changed' as const,
      workflow: current.workflow,
      sha: current.sha,
      by: 'flowgate',
    };
    const result = step(w.workflow, w.state, event, c.ctx());
    if (!result.changed) return;
    w.state = result.state;
    w.changed = true;
    w.effects.push(...result.effects);
    if (w.state.definition === current.sha) w.workflow = current.workflow;
    return;
  }
  const key = `definition:${w.state.id}:${current.kind === 'broken' ? current.sha : 'gone'}`;
  await postReply(c.octokit, c.issue, c.comments, key, keptNotice(w, current));
}

/** Why the run keeps the definition it has, for a file that was deleted or does not load. */
function keptNotice(w: RunWork, current: Exclude<CurrentDefinition, { kind: 'same' | 'changed' }>): string {
  const kept = `run \`${w.state.id}\` keeps the definition it follows (blob \`${w.state.definition.slice(0, 7)}\`)`;
  if (current.kind === 'gone') {
    return `No workflow named \`${w.state.workflow}\` is left in \`.github/flowgate/\` on the default branch, so ${kept}. \`/cancel\` ends the run.`;
  }
  return [
    `The workflow file \`${current.path}\` on the default branch has errors, so ${kept} until the file loads again:`,
    '',
    '```',
    current.diagnostics.map(formatDiagnostic).join('\n'),
    '```',
  ].join('\n');
}
