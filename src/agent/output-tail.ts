/**
 * The last `limit` bytes of a stream, kept in memory however much the stream writes: what an agent printed,
 * bounded. `total` counts every byte seen.
 */
export class OutputTail {
  readonly limit: number;
  total = 0;
  #chunks: Buffer[] = [];
  #kept = 0;

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new Error(`an output limit must be >= 1 byte, not ${limit}`);
    this.limit = limit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.#chunks.push(chunk);
    this.#kept += chunk.length;
    while (this.#kept > this.limit) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      const excess = this.#kept - this.limit;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#kept -= first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#kept -= excess;
      }
    }
  }

  /** True when bytes were dropped from the front. */
  get truncated(): boolean {
    return this.total > this.#kept;
  }

  /** The kept bytes as UTF-8; a character cut at the front is dropped rather than shown broken. */
  text(): string {
    let bytes = Buffer.concat(this.#chunks);
    if (this.truncated) {
      let start = 0;
      // UTF-8 continuation bytes are 10xxxxxx: skip them to begin at a character.
      while (start < bytes.length && start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
    }
    return bytes.toString('utf8');
  }
}
