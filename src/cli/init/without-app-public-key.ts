const APP_PUBLIC_KEY =
  /^( +)# Beside the app only:[^\n]*\n(?:\1#[^\n]*\n)*\1FLOWGATE_STATE_PUBLIC_KEY: [^\n]*\n/m;

/**
 * Drops the sweep job's `FLOWGATE_STATE_PUBLIC_KEY` line, with the comment above it: with the Action alone there is
 * no app whose runs it would verify.
 */
export function withoutAppPublicKey(text: string): string {
  return text.replace(APP_PUBLIC_KEY, '');
}
