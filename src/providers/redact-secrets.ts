/** Env variable names that hold secrets: anything with KEY, TOKEN, SECRET or PASSWORD in it. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;

/** Shorter values are too likely to occur in ordinary text to be replaced, and too weak to be real secrets. */
const MIN_SECRET_LENGTH = 8;

/**
 * `text` with the value of every secret-looking env variable replaced by `***`. Longer values go first, so a
 * secret that contains another is hidden whole.
 */
export function redactSecrets(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const secrets = Object.entries(env)
    .filter(
      ([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH,
    )
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  let redacted = text;
  for (const secret of secrets) redacted = redacted.split(secret).join('***');
  return redacted;
}
