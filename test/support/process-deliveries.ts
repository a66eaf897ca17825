import { type ActionOutputDraft, formatActionOutput } from '../../src/core/action-output.ts';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import type { RunState } from '../../src/core/state/run-state.ts';
import { labelNodeId } from '../../src/memory-github/memory-github.ts';
import { subjectPayload } from './app-harness.ts';
import type { AppProcess, Delivered } from './app-process.ts';
import type { GitHubStandIn } from './github-stand-in.ts';
import { STATE_PUBLIC_KEY, where } from './state-keys.ts';

/**
 * Webhooks for an app run as a process (`AppProcess`), built from real payloads on the stand-in's repository: what
 * a person or the Action does on an issue, stored on the stand-in first, then delivered over HTTP.
 */
export class ProcessDeliveries {
  #delivery = 0;
  readonly github: GitHubStandIn;
  constructor(github: GitHubStandIn) {
    this.github = github;
  }

  /** `login` adds the label `name`; answers the delivery (with its id, to deliver it again). */
  async label(
    app: AppProcess,
    number: number,
    login: string,
    name: string,
  ): Promise<Delivered & { id: string; payload: Record<string, unknown> }> {
    const id = `process-${++this.#delivery}`;
    // On GitHub the label is on the issue, and in the repository's issue events, before the webhook goes out.
    this.github.labelIssue(number, login, name);
    const payload = subjectPayload(this.github, 'issues', 'labeled', number, (p) => {
      p.label = { name, node_id: labelNodeId(name) };
      p.sender.login = login;
      p.sender.type = 'User';
    });
    const delivered = await app.deliver('issues', id, payload);
    return { ...delivered, id, payload };
  }

  /** `login` comments `body`; answers the delivery, its id and payload (to deliver it again) and the comment's id. */
  async comment(app: AppProcess, number: number, login: string, body: string, type: 'User' | 'Bot' = 'User') {
    const comment = this.github.addComment(number, login, body, type);
    const id = `process-${++this.#delivery}`;
    const payload = subjectPayload(this.github, 'issue_comment', 'created', number, (p) => {
      p.comment.id = comment.id;
      p.comment.body = body;
      p.comment.user.login = login;
      p.comment.user.type = type;
      p.sender.login = login;
      p.sender.type = type;
    });
    const delivered = await app.deliver('issue_comment', id, payload);
    return { ...delivered, id, payload, commentId: comment.id };
  }

  /** The Action answers the app's last dispatch with a response, as github-actions[bot]. */
  async answerLastDispatch(app: AppProcess, number: number, text = 'Here is the plan.') {
    const d = this.github.dispatches.at(-1);
    if (d === undefined) throw new Error('nothing was dispatched');
    const output = {
      kind: 'response',
      run: d.inputs.run_id ?? '',
      stage: d.inputs.stage ?? '',
      attempt: Number(d.inputs.attempt),
      nonce: d.inputs.nonce ?? '',
      usage: { tokens_in: 120, tokens_out: 380, cost_usd: 0.004 },
    } as ActionOutputDraft;
    return this.comment(app, number, 'github-actions[bot]', formatActionOutput(output, text), 'Bot');
  }

  /** The run state the status comment on `number` holds, or undefined. */
  state(number: number): RunState | undefined {
    const status = this.github.comments.find((c) => c.issue === number && c.body.includes('flowgate:state'));
    if (status === undefined) return undefined;
    const decoded = decodeStateBlock(status.body, STATE_PUBLIC_KEY, where(number));
    return decoded.ok ? decoded.state : undefined;
  }
}

/** Waits until `done()` holds, polling every 20 ms; throws with `explain()` after `ms`. */
export async function until(
  done: () => boolean,
  ms: number,
  explain: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms in vain\n${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
