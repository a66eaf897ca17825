/** Matches the `uses:` line of the flowgate Action in an Actions workflow, whatever it is pinned to. */
const ACTION_USES_LINE = /^(\s*)(-\s+)?uses:\s*[^\s#]+\/flowgate\/action@[^\s#]+.*$/gm;

/** Points every `uses:` of the flowgate Action in `text` at `uses` (`owner/flowgate/action@<sha>`) with its version. */
export function pinActionUses(text: string, uses: string, version: string): string {
  return text.replace(
    ACTION_USES_LINE,
    (_line, indent: string, dash: string | undefined) => `${indent}${dash ?? ''}uses: ${uses} # ${version}`,
  );
}
