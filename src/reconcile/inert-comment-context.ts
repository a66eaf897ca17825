import { defuseMentions } from '../core/markdown/defuse-mentions.ts';
import { inertMarkdown } from '../core/markdown/inert-markdown.ts';

/** The template context of a system action (`run:`), as system-action-context.ts builds it. */
export interface SystemActionContext {
  subject: { title: string; number: number; author: string; labels: string[]; [field: string]: unknown };
  [name: string]: unknown;
}

type Texts = Record<string, unknown>;

/**
 * The context a `comment:` system action renders with. The values people wrote (the title, labels, body, branch
 * names, comments, feedback, the changed files and the diff summary) are made inert Markdown (`inertMarkdown`):
 * `{{ subject.title }}` in a comment shows the title as text and never renders its links, images, HTML or
 * mentions. Earlier outputs keep their Markdown, as the Action posted them, with mentions defused
 * (`defuseMentions`). Dispatch inputs keep the plain values. Pure.
 */
export function inertCommentContext<T extends SystemActionContext>(context: T): T {
  const inert = (v: unknown) => (typeof v === 'string' ? inertMarkdown(v) : v);
  const subject: Texts = { ...context.subject };
  for (const field of ['title', 'body', 'base', 'head']) subject[field] = inert(subject[field]);
  subject.labels = context.subject.labels.map(inertMarkdown);
  const result: Texts = { ...context, subject };
  if (typeof context.feedback === 'string') result.feedback = inertMarkdown(context.feedback);
  if (isTexts(context.outputs)) {
    result.outputs = Object.fromEntries(
      Object.entries(context.outputs).map(([id, text]) => [
        id,
        typeof text === 'string' ? defuseMentions(text) : text,
      ]),
    );
  }
  if (isTexts(context.pr)) {
    const files = Array.isArray(context.pr.files) ? context.pr.files.map(inert) : context.pr.files;
    result.pr = { ...context.pr, diff_summary: inert(context.pr.diff_summary), files };
  }
  if (Array.isArray(context.comments)) {
    result.comments = context.comments.map((c: unknown) =>
      isTexts(c) ? { ...c, author: inert(c.author), body: inert(c.body) } : c,
    );
  }
  return result as T;
}

function isTexts(value: unknown): value is Texts {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
