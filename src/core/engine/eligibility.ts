import { PERMISSIONS } from '../schema/gate.ts';
import type { Subject } from '../state/run-state.ts';
import type { ResolvedGate } from '../workflow.ts';
import type { Actor } from './events.ts';

const RANK = new Map<string, number>([
  ['none', -1],
  ...PERMISSIONS.map((p, i) => [p, i] as [string, number]),
]);

/** Whether a person holds at least `minimum` repository permission. */
export function hasPermission(actor: Actor, minimum: (typeof PERMISSIONS)[number]): boolean {
  return (RANK.get(actor.permission) ?? -1) >= (RANK.get(minimum) ?? 99);
}

/**
 * Whether `actor` may pass `gate`: not a bot; the gate's minimum permission; one of the listed users, teams or
 * CODEOWNERS when any are listed; and not the subject's author, its last pusher or the person who supplied the
 * content (`contentBy`) unless the gate allows it. Undefined when allowed, else the reason in words.
 */
export function refusalToApprove(
  actor: Actor,
  gate: ResolvedGate,
  subject: Subject,
  contentBy?: string,
): string | undefined {
  const { users, teams, codeowners, permission } = gate.approvers;
  if (actor.is_bot) return 'bots cannot approve';
  if (!hasPermission(actor, permission)) {
    return `approving needs ${permission} permission on this repository, and @${actor.login} has ${actor.permission}`;
  }
  const listed = users.length > 0 || teams.length > 0 || codeowners;
  const named =
    users.some((u) => u.toLowerCase() === actor.login.toLowerCase()) ||
    actor.teams.some((t) => teams.some((team) => team.toLowerCase() === t.toLowerCase())) ||
    (codeowners && actor.codeowner);
  if (listed && !named) return `only ${describeApprovers(gate)} may approve this gate`;
  if (!gate.allow_author) {
    const login = actor.login.toLowerCase();
    if (login === subject.author.toLowerCase())
      return `the author of this ${subjectWord(subject)} cannot approve it`;
    if (subject.last_pusher !== undefined && login === subject.last_pusher.toLowerCase()) {
      return 'the last person to push to this pull request cannot approve it';
    }
    if (contentBy !== undefined && login === contentBy.toLowerCase()) {
      return `@${actor.login} supplied this content and cannot approve it`;
    }
  }
  return undefined;
}

/** `@octocat, members of @acme/leads or CODEOWNERS (with maintain permission)`. */
export function describeApprovers(gate: ResolvedGate): string {
  const { users, teams, codeowners, permission } = gate.approvers;
  const who = [
    ...users.map((u) => `@${u}`),
    ...(teams.length > 0 ? [`members of ${teams.map((t) => `@${t}`).join(', ')}`] : []),
    ...(codeowners ? ['CODEOWNERS of the changed files'] : []),
  ];
  if (who.length === 0) return `anyone with ${permission} permission`;
  const list = who.length === 1 ? (who[0] ?? '') : `${who.slice(0, -1).join(', ')} or ${who.at(-1)}`;
  return `${list} (with ${permission} permission)`;
}

function subjectWord(subject: Subject): string {
  return subject.kind === 'pull_request' ? 'pull request' : 'issue';
}

/** A refusal sentence with who may decide, unless the refusal already names them. */
export function refusalWithApprovers(refusal: string, gate: ResolvedGate, label = 'Who may approve'): string {
  return refusal.startsWith('only ') ? `${refusal}.` : `${refusal}. ${label}: ${describeApprovers(gate)}.`;
}
