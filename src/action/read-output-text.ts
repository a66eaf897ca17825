import { parseActionOutput, sha256Hex } from '../core/action-output.ts';
import type { Pointer } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';
import { withoutPromptHeading } from './prompt-heading.ts';

export type OutputText =
  | {
      ok: true;
      /** The text as people see it now (the parts of a long text joined; a prompt without its heading). */
      text: string;
      /** sha256 of the visible text (of all parts joined), which approvals bind to. */
      sha256: string;
      comment: IssueComment;
    }
  | { ok: false; error: string };

/**
 * The text a state pointer names: an output comment of the Action (all its parts, when it was split), or a
 * person's comment (the content of a manual stage). Parts are taken only from the author of the comment the
 * pointer names, with the same run, stage, nonce and kind. Pure: `comments` are every comment on the subject.
 */
export function readOutputText(
  comments: readonly IssueComment[],
  pointer: Pointer,
  what: string,
): OutputText {
  const id = pointer.comment_id;
  if (id === undefined) return { ok: false, error: `${what} is not kept in a comment` };
  const comment = comments.find((c) => c.id === id);
  if (comment === undefined)
    return { ok: false, error: `the comment holding ${what} (id ${id}) was deleted` };
  const parsed = parseActionOutput(comment.body);
  if (parsed === undefined) return { ok: true, text: comment.body, sha256: sha256Hex(comment.body), comment };
  if (!parsed.ok) return { ok: false, error: `the comment holding ${what} cannot be read: ${parsed.reason}` };
  const output = parsed.output;
  if (output.kind !== 'prompt' && output.kind !== 'response') {
    return { ok: false, error: `the comment holding ${what} is a ${output.kind} output, not a text` };
  }
  let visible = parsed.visible;
  if (output.part !== undefined) {
    const parts = new Map<number, string>();
    for (const c of comments) {
      if (c.login !== comment.login) continue;
      const p = parseActionOutput(c.body);
      if (p?.ok !== true) continue;
      const o = p.output;
      if (
        o.kind !== output.kind ||
        o.run !== output.run ||
        o.stage !== output.stage ||
        o.nonce !== output.nonce
      )
        continue;
      if (o.part?.count === output.part.count && !parts.has(o.part.index)) parts.set(o.part.index, p.visible);
    }
    const missing = [];
    for (let i = 1; i <= output.part.count; i++) if (!parts.has(i)) missing.push(i);
    if (missing.length > 0) {
      return {
        ok: false,
        error: `${what} was posted in ${output.part.count} parts and part ${missing.join(', ')} is missing`,
      };
    }
    visible = [...parts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, text]) => text)
      .join('');
  }
  const text = output.kind === 'prompt' ? withoutPromptHeading(visible) : visible;
  return { ok: true, text, sha256: sha256Hex(visible), comment };
}
