/** The branch a code stage pushes to when the caller names none: `flowgate/<subject>-<stage>`, e.g. `flowgate/42-implement`. */
export function codeBranch(subject: number, stage: string): string {
  return `flowgate/${subject}-${stage}`;
}
