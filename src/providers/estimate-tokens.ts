const encoder = new TextEncoder();

/**
 * A conservative estimate of how many tokens `text` costs, for budget checks before a call: one token per three
 * bytes of UTF-8. Tokenizers of the supported models average about four characters per token on English prose
 * and about three on code, so this over-counts both; a CJK character is three bytes and usually one token, so it
 * counts those about right. The API's own count, reported after the call, is what the run is charged.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(encoder.encode(text).length / 3);
}
