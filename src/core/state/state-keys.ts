import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/**
 * flowgate's state keys: Ed25519, written as one line each so that they fit an environment variable.
 *
 *     fgsk1_<base64url of the 32-byte private seed>   signs (only the writer of state holds it: the app)
 *     fgpk1_<base64url of the 32-byte public key>     verifies (safe to publish: the Action holds it)
 *
 * A key text may hold several keys separated by spaces, commas or newlines (a key ring, for rotation): the
 * first private key signs, and every key verifies (a private key through its public half). PEM keys
 * (`-----BEGIN PRIVATE KEY-----`, `-----BEGIN PUBLIC KEY-----`) are read too. Anything else, such as the shared
 * HMAC secret of earlier versions, is refused: a secret that signs must never be shared with the Action.
 */
export interface StateKeyRing {
  /** The private key that signs, if the ring holds one. */
  signer?: KeyObject;
  /** Every public key that verifies, the signer's first. */
  verifiers: KeyObject[];
}

export type StateKeyResult = { ok: true; ring: StateKeyRing } | { ok: false; message: string };

const PRIVATE_PREFIX = 'fgsk1_';
const PUBLIC_PREFIX = 'fgpk1_';
// The DER headers of an Ed25519 PKCS#8 private key and SPKI public key; the raw 32 bytes follow.
const PKCS8_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

const cache = new Map<string, StateKeyResult>();

/** Reads a key text (see `StateKeyRing`); the message of a refusal says what to do and never repeats the text. */
export function parseStateKeys(text: string): StateKeyResult {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const result = parseUncached(text);
  if (cache.size > 32) cache.clear();
  cache.set(text, result);
  return result;
}

/** The ring, or throws the refusal's message as an Error. */
export function stateKeyRing(text: string): StateKeyRing {
  const parsed = parseStateKeys(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.ring;
}

/** A new key pair, as key texts. */
export function generateStateKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey: privateKeyText(privateKey), publicKey: publicKeyText(createPublicKey(privateKey)) };
}

/** The public key texts of a ring, the signer's first: what to give the Action. */
export function publicKeyTexts(ring: StateKeyRing): string[] {
  return ring.verifiers.map(publicKeyText);
}

export function publicKeyText(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return PUBLIC_PREFIX + der.subarray(SPKI_HEADER.length).toString('base64url');
}

function privateKeyText(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return PRIVATE_PREFIX + der.subarray(PKCS8_HEADER.length).toString('base64url');
}

/** The base64url Ed25519 signature of `message` with the ring's signer; throws when it has none. */
export function signWithRing(ring: StateKeyRing, message: string): string {
  if (ring.signer === undefined) {
    throw new Error(
      'this state key holds only public keys, which verify state but cannot sign it: only the app (or, with the Action alone, the protected environment) holds the private key',
    );
  }
  return sign(null, Buffer.from(message, 'utf8'), ring.signer).toString('base64url');
}

/** Whether any key of the ring verifies `signature` (base64url) of `message`. */
export function verifyWithRing(ring: StateKeyRing, message: string, signature: string): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  const bytes = Buffer.from(signature, 'base64url');
  // One spelling per signature: base64url's last digit carries two unused bits that decoding ignores.
  if (bytes.toString('base64url') !== signature) return false;
  const data = Buffer.from(message, 'utf8');
  return ring.verifiers.some((key) => verify(null, data, key, bytes));
}

function parseUncached(text: string): StateKeyResult {
  const trimmed = text.trim();
  if (trimmed === '') {
    return refuse(
      'the state key is not set: the app needs FLOWGATE_STATE_PRIVATE_KEY (make one with `npx flowgate key generate`), and the Action the public key the app prints at start (`npx flowgate key public`)',
    );
  }
  const parts = [...trimmed.matchAll(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----|[^\s,]+/g)].map(
    (m) => m[0],
  );
  const ring: StateKeyRing = { verifiers: [] };
  for (const [index, part] of parts.entries()) {
    const key = readOne(part);
    if (typeof key === 'string') return refuse(`the state key's ${ordinal(index + 1)} part ${key}`);
    if (key.type === 'private') {
      ring.signer ??= key;
      ring.verifiers.push(createPublicKey(key));
    } else {
      ring.verifiers.push(key);
    }
  }
  return { ok: true, ring };
}

/** One key, or the reason it is not one (a sentence's end, without the text). */
function readOne(part: string): KeyObject | string {
  try {
    if (part.startsWith(PRIVATE_PREFIX) || part.startsWith(PUBLIC_PREFIX)) {
      const isPrivate = part.startsWith(PRIVATE_PREFIX);
      const raw = Buffer.from(part.slice(PRIVATE_PREFIX.length), 'base64url');
      if (raw.length !== 32) return 'is not a whole flowgate key (32 bytes after the prefix)';
      return isPrivate
        ? createPrivateKey({ key: Buffer.concat([PKCS8_HEADER, raw]), format: 'der', type: 'pkcs8' })
        : createPublicKey({ key: Buffer.concat([SPKI_HEADER, raw]), format: 'der', type: 'spki' });
    }
    if (part.startsWith('-----BEGIN')) {
      const key = part.includes('PRIVATE') ? createPrivateKey(part) : createPublicKey(part);
      if (key.asymmetricKeyType !== 'ed25519') return 'is not an Ed25519 key';
      return key;
    }
  } catch {
    return 'cannot be read as a key';
  }
  return 'is not an Ed25519 key (fgsk1_..., fgpk1_... or PEM): a shared secret (the HMAC key of flowgate before 0.2) no longer signs state, since everyone who can run a workflow could read it; make a key pair with `npx flowgate key generate` (docs/security.md)';
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}

function refuse(message: string): StateKeyResult {
  return { ok: false, message };
}
