import { type ActionOutput, parseActionOutput, sha256Hex } from '../core/action-output.ts';
import type { Pointer } from '../core/state/run-state.ts';
import type { IssueComment } from '../github/types.ts';
import { withoutFileHeading } from './file-heading.ts';
import { personContent } from './person-content.ts';
import { withoutPromptHeading } from './prompt-heading.ts';
import { visibleParts } from './visible-parts.ts';

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

type TextOutput = Extract<ActionOutput, { kind: 'prompt' | 'response' }>;

/**
 * The visible texts of an output's parts by their index, found by the first part's marker: the same author, run,
 * stage, nonce, kind and count.
 */
function partsByNonce(
  comments: readonly IssueComment[],
  first: IssueComment,
  output: TextOutput,
): (string | undefined)[] {
  const parts: (string | undefined)[] = Array.from({ length: output.part?.count ?? 1 });
  for (const c of comments) {
    if (c.login !== first.login) continue;
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
    const index = o.part?.index ?? 0;
    if (o.part?.count === output.part?.count && index >= 1 && parts[index - 1] === undefined)
      parts[index - 1] = p.visible;
  }
  return parts;
}

/**
 * The text a state pointer names: an output comment of the Action (all its parts, when it was split), or a
 * person's comment (the content of a manual stage: what its `/submit` hands in, see `personContent`). The parts are the comments `pointer.parts` names; without
 * it, those of the author of the first part with the same run, stage, nonce and kind. Pure: `comments` are every comment on the subject.
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
  if (parsed === undefined) {
    const text = personContent(comment);
    return { ok: true, text, sha256: sha256Hex(text), comment };
  }
  if (!parsed.ok) return { ok: false, error: `the comment holding ${what} cannot be read: ${parsed.reason}` };
  const output = parsed.output;
  if (output.kind !== 'prompt' && output.kind !== 'response') {
    return { ok: false, error: `the comment holding ${what} is a ${output.kind} output, not a text` };
  }
  let visible = parsed.visible;
  if (output.part !== undefined && output.part.count > 1) {
    const parts =
      pointer.parts === undefined
        ? partsByNonce(comments, comment, output)
        : visibleParts(comments, pointer.parts);
    const missing: number[] = [];
    for (let i = 0; i < output.part.count; i++) if (parts[i] === undefined) missing.push(i + 1);
    if (missing.length > 0) {
      return {
        ok: false,
        error: `${what} was posted in ${output.part.count} parts and part ${missing.join(', ')} is missing`,
      };
    }
    visible = parts.join('');
  }
  const text =
    output.kind === 'prompt'
      ? withoutPromptHeading(visible)
      : output.file !== undefined
        ? withoutFileHeading(visible)
        : visible;
  return { ok: true, text, sha256: sha256Hex(visible), comment };
}
