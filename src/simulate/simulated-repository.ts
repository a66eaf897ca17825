import { sha256Hex } from '../core/action-output.ts';
import { actorOf, gatesOf } from '../core/simulate/people.ts';
import type { ResolvedSubject } from '../core/simulate/resolved-subject.ts';
import type { Script } from '../core/simulate/script.ts';
import type { Workflow } from '../core/workflow.ts';
import { MemoryGitHub } from '../memory-github/memory-github.ts';

/** Where a simulated run lives: a made-up repository, example/repo, so that links look like GitHub's. */
export const SIMULATED_OWNER = 'example';
export const SIMULATED_REPO = 'repo';
/** Its id, which state blocks are bound to. */
export const SIMULATED_REPO_ID = 1;

/** The default people of the default script, registered up front: `maintainer`, `maintainer-2`, ... */
const DEFAULT_PEOPLE = ['maintainer', 'maintainer-2', 'maintainer-3', 'maintainer-4', 'maintainer-5'];

/**
 * An in-memory GitHub holding what the script describes: the workflow file on the default branch, the subject
 * (an issue, or a pull request with its changed files), the comments made before the run, and the people with
 * their repository permission, their teams and, for CODEOWNERS, a `.github/CODEOWNERS` that names them. The run
 * is started by whoever the script says, who needs `write` to start it: a starter the script gives no permission
 * gets `write`.
 */
export function simulatedRepository(params: {
  workflow: Workflow;
  path: string;
  text: string;
  script: Script;
  subject: ResolvedSubject;
  starter: string;
  now: () => string;
}): MemoryGitHub {
  const { workflow, script, subject } = params;
  const github = new MemoryGitHub(SIMULATED_OWNER, SIMULATED_REPO, params.now);
  github.branchHead = (ref) => github.branches.get(ref)?.head;
  github.files.set(params.path, params.text);
  const gateUsers = gatesOf(workflow).flatMap((g) => g.approvers.users);
  const logins = new Set([...DEFAULT_PEOPLE, ...gateUsers, ...Object.keys(script.people), subject.author]);
  const owners: string[] = [];
  for (const login of logins) {
    const actor = actorOf(workflow, script, login);
    if (actor.permission !== 'none') github.permissions.set(login, actor.permission);
    for (const team of actor.teams) {
      const members = github.teams.get(team) ?? new Set<string>();
      members.add(login);
      github.teams.set(team, members);
    }
    if (actor.codeowner) owners.push(`@${login}`);
  }
  if (!github.permissions.has(params.starter) && script.people[params.starter] === undefined)
    github.permissions.set(params.starter, 'write');
  if (owners.length > 0) github.files.set('.github/CODEOWNERS', `* ${owners.join(' ')}\n`);
  github.issues.set(subject.number, {
    title: subject.title,
    author: subject.author,
    labels: [],
    state: 'open',
    pull: subject.kind === 'pull_request',
    body: subject.body,
    createdAt: params.now(),
  });
  if (subject.kind === 'pull_request') {
    github.pulls.set(subject.number, {
      head: sha256Hex(`head:${subject.number}`).slice(0, 40),
      base: github.defaultBranch,
      author: subject.author,
      title: subject.title,
      body: subject.body,
    });
    const { files, additions, deletions } = subject.pr;
    github.pullFiles.set(
      subject.number,
      files.map((filename) => ({
        filename,
        status: 'modified',
        additions: Math.ceil(additions / Math.max(files.length, 1)),
        deletions: Math.ceil(deletions / Math.max(files.length, 1)),
      })),
    );
  }
  for (const comment of subject.comments) github.addComment(subject.number, comment.author, comment.body);
  return github;
}
