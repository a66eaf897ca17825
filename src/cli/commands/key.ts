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
        '# The private key goes to the writer of run state only: the app; or, with the Action alone and for sweeps, a\n' +
        '# secret of the `flowgate` environment limited to the default branch. Never to a plain Actions secret of a\n' +
        '# repository the app serves. The public key goes to the Action beside the app (a variable). See docs/security.md.\n',
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
