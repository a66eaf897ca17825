import type { CodeStageRunner } from '../action/code-stage.ts';
import { codeBranch } from '../agent/code-branch.ts';
import { pullBody } from '../agent/pull-body.ts';
import { sha256Hex } from '../core/action-output.ts';
import { costOf, priceOf } from '../core/prices.ts';
import { pullMarker } from '../core/pull-marker.ts';
import { runPullNumber } from '../core/state/run-pull-number.ts';
import { upsertPull } from '../github/upsert-pull.ts';
import type { MemoryGitHub } from '../memory-github/memory-github.ts';
import type { Overrides } from './offline-models.ts';

/** The change a simulated agent makes: the files and line counts of the script's `subject.pr`. */
export interface SimulatedChange {
  files: string[];
  additions: number;
  deletions: number;
}

/**
 * The code stages of `flowgate simulate`: no agent runs and no repository is checked out; the "push" is a new
 * head on the run's branch of the in-memory GitHub (what a real `git push` does outside the REST API), and the
 * pull request is opened or updated through the same adapter calls (`upsertPull`) a real code stage makes. The
 * first code stage of a run opens `flowgate/<subject>-<stage>`; later ones push to the run's pull request.
 */
export function offlineCodeStage(
  github: MemoryGitHub,
  change: SimulatedChange,
  overrides: Overrides,
): CodeStageRunner {
  return async ({ octokit, issue, state, stage, provider, prompt }) => {
    const at = overrides.answers.findIndex((a) => a.stage === stage.id);
    const answer = at === -1 ? undefined : overrides.answers.splice(at, 1)[0];
    if (answer?.fail !== undefined) throw new Error(answer.fail);
    const attempt = state.stages[stage.id]?.attempt ?? 1;
    const head = sha256Hex(`commit\0${issue.number}:${state.workflow}:${stage.id}:${attempt}`).slice(0, 40);
    const existing = runPullNumber(state);
    const files = change.files.map((filename) => ({
      filename,
      status: 'modified',
      additions: Math.ceil(change.additions / change.files.length),
      deletions: Math.ceil(change.deletions / change.files.length),
      // A patch as GitHub shows one: what the review prompts of later stages read.
      patch: `@@ -1,2 +1,2 @@\n // ${filename}\n-// before ${stage.id}\n+// ${stage.id}, attempt ${attempt}`,
    }));
    let number: number;
    if (existing !== undefined) {
      const pull = github.pulls.get(existing);
      if (pull === undefined) throw new Error(`the run's pull request #${existing} is gone`);
      pull.head = head;
      if (pull.headRef !== undefined) github.branches.set(pull.headRef, { head, files: new Map() });
      number = existing;
    } else {
      const branch = codeBranch(issue.number, stage.id);
      github.branches.set(branch, { head, files: new Map() });
      const body = pullBody({
        subject: issue.number,
        stage: stage.id,
        attempt,
        summary: `A simulated change for ${stage.name}.`,
        files: change.files,
      });
      const { pull } = await upsertPull(
        octokit,
        { owner: issue.owner, repo: issue.repo },
        {
          head: branch,
          base: github.defaultBranch,
          title: `${stage.name}: ${state.subject.title} (#${issue.number})`,
          body,
          draft: false,
        },
        pullMarker(issue.number),
      );
      number = pull.number;
    }
    github.pullFiles.set(number, files);
    const did = existing === undefined ? 'Opened' : 'Pushed to';
    const text =
      answer?.text ??
      [
        `**${stage.name}**, attempt ${attempt}: a simulated change by the agent \`${provider.run}\`.`,
        '',
        `${did} pull request #${number}: ${change.files.length} files changed (+${change.additions} -${change.deletions}), head ${head.slice(0, 7)}.`,
      ].join('\n');
    const tokensIn = Math.ceil(prompt.length / 4);
    const tokensOut = Math.ceil(text.length / 4);
    return {
      text,
      usage: {
        tokens_in: tokensIn,
        tokens_out: tokensOut,
        cost_usd: costOf(priceOf(provider), tokensIn, tokensOut),
      },
      pull_number: number,
      head_sha: head,
    };
  };
}
