import { inertMarkdown } from './inert-markdown.ts';

/** flowgate's own note at the end of a text it cut (src/core/state/bounded-text.ts), with its in-page link. */
const CUT_NOTE =
  / … \[cut: [\d,]+ characters in all(?:; the whole text is in \[(?:comment|review) \d+\]\(#(?:issuecomment|pullrequestreview)-\d+\))?\]$/;

/**
 * A person's text made inert (`inertMarkdown`), except flowgate's own note that it was cut: that note stays as it
 * is, so its link to the whole text works. The note can only link to a comment or review on the same page.
 */
export function inertWithCutNote(text: string): string {
  const note = CUT_NOTE.exec(text);
  if (note === null) return inertMarkdown(text);
  return `${inertMarkdown(text.slice(0, note.index))}${note[0]}`;
}
