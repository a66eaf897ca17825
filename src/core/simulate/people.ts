import type { Actor } from '../engine/events.ts';
import { PERMISSIONS, type Permission } from '../schema/gate.ts';
import type { ResolvedGate, Workflow } from '../workflow.ts';
import type { Script } from './script.ts';

/** The simulated maintainer who passes every gate in the default script; `maintainer-2`... when a gate needs more. */
export const DEFAULT_PERSON = 'maintainer';

/** Every gate of the workflow, prompt gates included. */
export function gatesOf(workflow: Workflow): ResolvedGate[] {
  return workflow.stages.flatMap((s) => [s.prompt_gate, s.gate]);
}

/**
 * What GitHub would say about `login`: the script's `people` entry; else, for the default people (`maintainer`,
 * `maintainer-2`, ... and users a gate lists by name), enough to pass every gate: maintain permission or more, a
 * member of every team a gate names, and a CODEOWNER; else an outsider without permission.
 */
export function actorOf(workflow: Workflow, script: Script, login: string): Actor {
  const person = script.people[login];
  if (person !== undefined) {
    return {
      login,
      permission: person.permission,
      teams: person.teams,
      codeowner: person.codeowner,
      is_bot: person.bot,
    };
  }
  if (!isDefaultPerson(workflow, login)) {
    return { login, permission: 'none', teams: [], codeowner: false, is_bot: login.endsWith('[bot]') };
  }
  const gates = gatesOf(workflow);
  const teams = [...new Set(gates.flatMap((g) => g.approvers.teams))];
  return {
    login,
    permission: highest(['maintain', ...gates.map((g) => g.approvers.permission)]),
    teams,
    codeowner: true,
    is_bot: false,
  };
}

function isDefaultPerson(workflow: Workflow, login: string): boolean {
  if (login === DEFAULT_PERSON || new RegExp(`^${DEFAULT_PERSON}-\\d+$`).test(login)) return true;
  return gatesOf(workflow).some((g) =>
    g.approvers.users.some((u) => u.toLowerCase() === login.toLowerCase()),
  );
}

function highest(permissions: Permission[]): Permission {
  const rank = (p: Permission) => PERMISSIONS.indexOf(p);
  return permissions.reduce((a, b) => (rank(b) > rank(a) ? b : a));
}
