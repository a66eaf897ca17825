/** Stage ids and provider names may be at most 40 characters long. */
const MAX_LENGTH = 40;

/** `base-n`, with `base` shortened where the whole would be longer than a stage id or provider name may be. */
export function suffixedName(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${base.slice(0, MAX_LENGTH - suffix.length)}${suffix}`;
}
