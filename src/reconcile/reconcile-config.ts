import type { Permission } from '../core/schema/gate.ts';

/** What a reconcile needs to know of the deployment it runs in: the app, the Action alone, a sweep, simulate. */
export interface ReconcileConfig {
  /**
   * The state key ring: the Ed25519 private key that signs state blocks (which never leaves the writer of state:
   * the app, or the Action alone), then older public keys still accepted while rotating (see state-keys.ts).
   */
  stateKey: string;
  /** The file name of the team's Actions workflow that runs stages (workflow_dispatch). */
  actionsWorkflow: string;
  /** The least permission that may start a run by label or `/flowgate start`. */
  startPermission: Permission;
  /** Logins whose output comments the reconcile ingests: the Actions bot, and the app's own bot. */
  outputAuthors: string[];
  /**
   * The login this reconcile writes status comments as, when that may differ from their author: a sweep beside
   * the app edits the app's status comments as `github-actions[bot]`. Its edits count as flowgate's.
   */
  stateWriter?: string;
}
