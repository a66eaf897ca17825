const PLACEHOLDER_NOTE =
  /^( +)# The flowgate Action, pinned to the full commit of a release\. Replace OWNER[^\n]*\n(?:\1#[^\n]*\n)*?\1# whoever can move them decides what code runs next to your secrets\.\n/m;

/**
 * Where the Action is pinned to a real release, the examples' note on replacing the OWNER placeholder becomes a
 * note on what the pin is and why it is a commit.
 */
export function withPinNote(text: string, version: string): string {
  return text.replace(
    PLACEHOLDER_NOTE,
    (_note, indent: string) =>
      `${indent}# The flowgate Action, pinned to the full commit of release ${version}. Never reference a branch or a\n` +
      `${indent}# tag: whoever can move them decides what code runs next to your secrets.\n`,
  );
}
