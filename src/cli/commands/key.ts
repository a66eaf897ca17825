import { generateStateKeyPair, parseStateKeys, publicKeyTexts } from '../../core/state/state-keys.ts';
import type { CliIo } from '../io.ts';

/**
 * `flowgate key generate`: prints a new state key pair (the private key for the app's FLOWGATE_STATE_PRIVATE_KEY,
 * the public key for the Action). `flowgate key public`: prints the public key of the private key in
 * FLOWGATE_STATE_PRIVATE_KEY (or `--key`), which is safe to publish.
 */
export function keyCommand(action: 'generate' | 'public', privateKey: string | undefined, io: CliIo): number {
  if (action === 'generate') {
    const pair = generateStateKeyPair();
    io.stdout(
      `FLOWGATE_STATE_PRIVATE_KEY=${pair.privateKey}\nFLOWGATE_STATE_PUBLIC_KEY=${pair.publicKey}\n` +
        '# The private key goes to the app only (never to an Actions secret of a repository the app serves);\n' +
        '# the public key goes to the Action (a repository or organisation variable). See docs/security.md.\n',
    );
    return 0;
  }
  const parsed = parseStateKeys(privateKey ?? '');
  if (!parsed.ok) {
    io.stderr(`flowgate: ${parsed.message}\n`);
    return 1;
  }
  io.stdout(`${publicKeyTexts(parsed.ring).join('\n')}\n`);
  return 0;
}
