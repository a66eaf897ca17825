import { ownersOf } from './codeowners-rules.ts';
import { isTeamMember } from './is-team-member.ts';
import { readRepoFile } from './read-repo-file.ts';
import { requestStatus } from './request-status.ts';
import type { IssueRef, Octo, RepoRef } from './types.ts';

/** Where GitHub looks for CODEOWNERS, in the order it looks; the first one found is used. */
const LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/**
 * Whether `login`, or one of `teams` (`org/team`, with or without `@`), is a code owner of at least one
 * file the pull request changes, under the CODEOWNERS file of the base branch (`baseRef`), as GitHub reads
 * it: the last matching rule decides a file's owners. A renamed file counts under its old path too. No
 * CODEOWNERS file: false. A team CODEOWNERS names counts when the login is an active member of it (1 GET per team
 * that owns a changed file, asked only when neither the login nor `teams` own one).
 * Cost: 1 to 3 GETs for CODEOWNERS, then ceil(changed files / 100) GETs, skipped when CODEOWNERS never
 * names the user or the teams. GitHub lists at most 3,000 files of a pull request.
 */
export async function isCodeOwner(
  octokit: Octo,
  pull: IssueRef,
  baseRef: string,
  login: string,
  teams: string[],
): Promise<boolean> {
  const codeowners = await readCodeowners(octokit, pull, baseRef);
  if (codeowners === undefined) return false;
  const candidates = new Set([login, ...teams].map((name) => `@${name.replace(/^@/, '')}`.toLowerCase()));
  const named = codeowners.split(/\s+/).some((token) => candidates.has(token.toLowerCase()));
  // CODEOWNERS may name teams the login belongs to: then the changed files' owning teams are asked about.
  const namesTeams = /(^|\s)@[\w.-]+\/[\w.-]+/.test(codeowners);
  if (!named && !namesTeams) return false;

  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pull.owner,
    repo: pull.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  const paths = files.flatMap((file) =>
    file.previous_filename === undefined ? [file.filename] : [file.filename, file.previous_filename],
  );
  const owners = new Set(paths.flatMap((path) => ownersOf(codeowners, path).map((o) => o.toLowerCase())));
  if ([...owners].some((owner) => candidates.has(owner))) return true;
  for (const owner of owners) {
    const team = /^@([\w.-]+)\/([\w.-]+)$/.exec(owner);
    if (
      team?.[1] !== undefined &&
      team[2] !== undefined &&
      (await isTeamMember(octokit, team[1], team[2], login))
    )
      return true;
  }
  return false;
}

async function readCodeowners(octokit: Octo, repo: RepoRef, ref: string): Promise<string | undefined> {
  for (const path of LOCATIONS) {
    try {
      return await readRepoFile(octokit, { owner: repo.owner, repo: repo.repo, path, ref });
    } catch (error) {
      if (requestStatus(error) !== 404) throw error;
    }
  }
  return undefined;
}
