import type { Actor } from '../core/engine/events.ts';
import type { ResolvedGate } from '../core/workflow.ts';
import { getPermission, type KnownPermission } from '../github/get-permission.ts';
import { isCodeOwner } from '../github/is-code-owner.ts';
import { isTeamMember } from '../github/is-team-member.ts';
import type { KeyedCache } from '../github/keyed-cache.ts';
import type { IssueRef, Octo, Permission } from '../github/types.ts';

/**
 * Looks up, at the moment a command or review is applied, what the engine needs to know about its author: the
 * repository permission (from the collaborator permission API, never author_association), membership of the
 * teams the open gate names, and CODEOWNERS ownership when the gate asks for it. Each answer is asked once per
 * reconcile; with `permissions` (the last answers and their ETags) the permission is asked conditionally (free when
 * unchanged, get-permission.ts).
 */
export class ActorFacts {
  readonly #permissions = new Map<string, Promise<Permission>>();
  readonly #teams = new Map<string, Promise<boolean>>();
  readonly #owners = new Map<string, Promise<boolean>>();

  readonly octokit: Octo;
  readonly subject: IssueRef;
  readonly pull: { baseRef: string } | undefined;
  readonly known: KeyedCache<KnownPermission> | undefined;

  constructor(
    octokit: Octo,
    subject: IssueRef,
    pull: { baseRef: string } | undefined,
    known?: KeyedCache<KnownPermission>,
  ) {
    this.octokit = octokit;
    this.subject = subject;
    this.pull = pull;
    this.known = known;
  }

  async actor(login: string, isBot: boolean, gate: ResolvedGate | undefined): Promise<Actor> {
    if (isBot) return { login, permission: 'none', teams: [], codeowner: false, is_bot: true };
    const permission = await this.permission(login);
    const teams: string[] = [];
    for (const team of gate?.approvers.teams ?? []) {
      const [org = '', slug = ''] = team.split('/');
      const key = `${login}@${team}`;
      if (!this.#teams.has(key)) this.#teams.set(key, isTeamMember(this.octokit, org, slug, login));
      if (await this.#teams.get(key)) teams.push(team);
    }
    let codeowner = false;
    if (gate?.approvers.codeowners === true && this.pull !== undefined) {
      if (!this.#owners.has(login)) {
        this.#owners.set(login, isCodeOwner(this.octokit, this.subject, this.pull.baseRef, login, teams));
      }
      codeowner = (await this.#owners.get(login)) ?? false;
    }
    return { login, permission, teams, codeowner, is_bot: false };
  }

  permission(login: string): Promise<Permission> {
    const known = this.#permissions.get(login);
    if (known !== undefined) return known;
    const asked = getPermission(this.octokit, this.subject, login, this.known);
    this.#permissions.set(login, asked);
    return asked;
  }
}
