/** The heading a prompt comment starts with, so people see what it is; the model never gets it. */
export function promptHeading(stageId: string, attempt: number): string {
  return `### Prompt for \`${stageId}\` (attempt ${attempt})\n\n`;
}

const HEADING = /^### Prompt for `[^`\n]*`[^\n]*\n\n/;

/** A prompt comment's visible text without its heading: the prompt itself. */
export function withoutPromptHeading(visible: string): string {
  return visible.replace(HEADING, '');
}
