/**
 * The line a response comment starts with when the stage's output is a file, so people see where the file went;
 * the text after it is the file's content, and later prompts get only that.
 */
export interface CommittedOutputFile {
  path: string;
  branch: string;
  commit: string;
  url: string;
}

export function fileHeading(file: CommittedOutputFile): string {
  return `Written to [\`${file.path}\`](${file.url}) on branch \`${file.branch}\` (commit \`${file.commit.slice(0, 12)}\`).\n\n`;
}

const HEADING = /^Written to \[`[^`\n]*`\]\([^)\n]*\) on branch `[^`\n]*` \(commit `[0-9a-f]*`\)\.\n\n/;

/** A file response's visible text without its heading: the file's content. */
export function withoutFileHeading(visible: string): string {
  return visible.replace(HEADING, '');
}
