import { inertMarkdown } from '../markdown/inert-markdown.ts';

/**
 * A question a model asked people, as a Markdown block quote that shows its text and nothing more: no link,
 * image, HTML or @-mention can form (`inertMarkdown`), so a model cannot notify anyone through it. Pure.
 */
export function questionQuote(question: string): string {
  const text = inertMarkdown(question.trim() === '' ? '(no question given)' : question);
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}
