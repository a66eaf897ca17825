import type { CommandProblem } from '../core/commands/command.ts';
import { helpText } from '../core/commands/help-text.ts';
import type { IssueComment, IssueRef, Octo } from '../github/types.ts';
import type { RepoWorkflow } from './load-repo-workflows.ts';
import { postReply } from './post-reply.ts';

/** Commands on a subject with no run in progress (or only runs whose state is not trusted) get one answer. */
export async function answerWithoutRun(
  octokit: Octo,
  issue: IssueRef,
  comments: IssueComment[],
  comment: IssueComment,
  kinds: string[],
  problems: CommandProblem[],
  repoWorkflows: () => Promise<RepoWorkflow[]>,
  /** Runs on the subject whose state is not trusted (a notice on the subject says why). */
  untrusted: readonly string[] = [],
): Promise<void> {
  if (kinds.includes('help')) {
    await postReply(octokit, issue, comments, `${comment.id}`, helpText());
    return;
  }
  if (problems.length > 0) {
    await postReply(octokit, issue, comments, `${comment.id}`, problems.map((p) => p.message).join('\n'));
    return;
  }
  if (kinds.length === 0) return;
  if (untrusted.length > 0) {
    await postReply(
      octokit,
      issue,
      comments,
      `${comment.id}`,
      `flowgate cannot act on this: the state of run ${untrusted.map((id) => `\`${id}\``).join(', ')} is not trusted (the notice above says why and what to do), so commands wait.`,
    );
    return;
  }
  const names = (await repoWorkflows()).flatMap((w) =>
    w.workflow === undefined ? [] : [`\`${w.workflow.on.command}\``],
  );
  await postReply(
    octokit,
    issue,
    comments,
    `${comment.id}`,
    `No flowgate run is in progress here. Start one with \`/flowgate start <workflow>\` (workflows: ${names.join(', ') || 'none yet'}).`,
  );
}
