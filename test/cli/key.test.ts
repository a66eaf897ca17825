import { describe, expect, it } from 'vitest';
import { decodeStateBlock } from '../../src/core/state/decode-state.ts';
import { encodeStateBlock } from '../../src/core/state/encode-state.ts';
import { sampleState } from '../core/state-fixture.ts';
import { STATE_PRIVATE_KEY, STATE_PUBLIC_KEY } from '../support/state-keys.ts';
import { flowgate } from './run-cli.ts';

describe('flowgate key', () => {
  it('generate prints a key pair whose public half verifies what the private half signs', async () => {
    const run = await flowgate(['key', 'generate']);
    expect(run.code).toBe(0);
    const privateKey = /^FLOWGATE_STATE_PRIVATE_KEY=(fgsk1_\S+)$/m.exec(run.stdout)?.[1] ?? '';
    const publicKey = /^FLOWGATE_STATE_PUBLIC_KEY=(fgpk1_\S+)$/m.exec(run.stdout)?.[1] ?? '';
    const where = { id: 1, number: 42 };
    const block = encodeStateBlock(sampleState(), privateKey, where);
    expect(decodeStateBlock(block, publicKey, where)).toEqual({ ok: true, state: sampleState() });
    expect(decodeStateBlock(block, STATE_PUBLIC_KEY, where)).toMatchObject({ ok: false, code: 'signature' });
  });

  it('public prints the public key of FLOWGATE_STATE_PRIVATE_KEY, and nothing secret', async () => {
    const run = await flowgate(['key', 'public'], { env: { FLOWGATE_STATE_PRIVATE_KEY: STATE_PRIVATE_KEY } });
    expect(run).toEqual({ code: 0, stdout: `${STATE_PUBLIC_KEY}\n`, stderr: '' });
  });

  it('public refuses a shared secret and says what to do', async () => {
    const run = await flowgate(['key', 'public', '--key', 'k'.repeat(40)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not an Ed25519 key .*npx flowgate key generate/);
    expect(run.stderr).not.toContain('k'.repeat(40));
  });
});
