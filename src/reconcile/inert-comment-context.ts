import { inertMarkdown } from '../core/markdown/inert-markdown.ts';

/** The template context of a system action (`run:`), as system-action-context.ts builds it. */
export interface SystemActionContext {
  subject: { title: string; number: number; author: string; labels: string[] };
  [name: string]: unknown;
}

/**
 * The context a `comment:` system action renders with: the person-written values (the title and labels) made
 * inert Markdown (`inertMarkdown`), so that `{{ subject.title }}` in a comment shows the title as text and never
 * renders its links, images, HTML or mentions. Dispatch inputs and webhooks keep the raw values. Pure.
 */
export function inertCommentContext<T extends SystemActionContext>(context: T): T {
  return {
    ...context,
    subject: {
      ...context.subject,
      title: inertMarkdown(context.subject.title),
      labels: context.subject.labels.map(inertMarkdown),
    },
  };
}
