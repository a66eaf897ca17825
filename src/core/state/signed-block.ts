import type { z } from 'zod';
import { parseStateKeys, type StateKeyRing, signWithRing, verifyWithRing } from './state-keys.ts';

/**
 * A signed, hidden block of JSON in a GitHub comment or issue body, the way flowgate keeps state on GitHub:
 *
 *     <!-- <marker> v=<version>
 *     {"v":<version>,...}
 *     sig=ed25519:<base64url Ed25519 signature>
 *     -->
 *
 * The signature covers the marker, the version, the binding (the repository's id and the issue, pull request or
 * dashboard the block lives on) and the JSON line: a block copied into another repository or issue does not
 * verify. Only the private key signs (see `state-keys.ts`); the public key, which the Action holds, only verifies.
 *
 * The run state (status comments) and the sweep state (dashboard issues) share this format; each describes
 * itself with a `SignedBlockFormat`. The JSON is one line (JSON.stringify escapes newlines inside strings), so a
 * body re-saved from the web UI with CRLF line endings still verifies. `<`, `>` and `&` are written as `\u003c`,
 * `\u003e`, `\u0026`, so no content can end the HTML comment early (`-->`, `--!>`) or open another block.
 */
export interface SignedBlockFormat<T> {
  /** The word after `<!--` that marks the block: `flowgate:state`. */
  marker: string;
  /** The version this code writes (also the JSON's `v`). */
  version: number;
  /** The schema a decoded value must pass. */
  schema: z.ZodType<T>;
  /** What the block holds, for messages: `run state`. */
  noun: string;
  /** Where the block lives, for messages: `status comment`. */
  container: string;
}

export type StateEncodeErrorCode =
  | 'empty_key'
  | 'bad_key'
  | 'no_private_key'
  | 'invalid_state'
  | 'state_too_large';

/** What a block belongs to: the repository (its id, which survives renames) and the subject it lives on. */
export interface StateBinding {
  repoId: number;
  /** The issue or pull request number; `sweep` for a sweep dashboard. */
  subject: number | 'sweep';
}

/** Why a state could not be written (or a key could not be used); `code` tells callers the cases apart. */
export class StateEncodeError extends Error {
  readonly code: StateEncodeErrorCode;

  constructor(code: StateEncodeErrorCode, message: string) {
    super(message);
    this.name = 'StateEncodeError';
    this.code = code;
  }
}

/** Maps the state of version n (the key) to the state of version n + 1. */
export type StateMigration = (old: unknown) => unknown;
export type StateMigrations = Readonly<Record<number, StateMigration>>;

export type DecodeFailureCode = 'missing' | 'malformed' | 'signature' | 'version' | 'shape';

export type BlockDecodeResult<T> =
  | { ok: true; state: T }
  | { ok: false; code: DecodeFailureCode; message: string };

/** The signature of a block's JSON line (of `format`'s marker and version), bound to `binding`, after `sig=`. */
export function signStateJson(
  format: { marker: string; version: number },
  json: string,
  key: string,
  binding: StateBinding,
): string {
  const ring = assertKey(key);
  if (ring.signer === undefined) {
    throw new StateEncodeError(
      'no_private_key',
      'the state key holds only public keys: it verifies state but cannot write it; only the app (or, with the Action alone, its protected environment) holds the private key',
    );
  }
  return `ed25519:${signWithRing(ring, signedMessage(format, json, binding))}`;
}

/** Throws the error every codec entry point gives for a missing or unusable key; returns the key ring. */
export function assertKey(key: string): StateKeyRing {
  const parsed = parseStateKeys(key);
  if (parsed.ok) return parsed.ring;
  throw new StateEncodeError(key.trim() === '' ? 'empty_key' : 'bad_key', parsed.message);
}

/** What the signature covers: everything that says what the block is and where it belongs, then the JSON. */
function signedMessage(
  format: { marker: string; version: number },
  json: string,
  binding: StateBinding,
): string {
  if (!Number.isSafeInteger(binding.repoId) || binding.repoId <= 0) {
    throw new StateEncodeError('bad_key', 'the repository id is unknown, so the state cannot be bound to it');
  }
  return `flowgate ${format.marker} v=${format.version} repo=${binding.repoId} subject=${binding.subject}\n${json}`;
}

/**
 * The block holding `value`, signed with `key`. The value is validated first: a value the schema would refuse
 * on reading throws a `StateEncodeError` with code `invalid_state`. Fitting the value into a size limit is the
 * caller's business (see `encodedBlockLength` and `smallestFitting`).
 */
export function writeSignedBlock<T>(
  format: SignedBlockFormat<T>,
  value: T,
  key: string,
  binding: StateBinding,
): string {
  assertWritable(format, value);
  return signedBlockText(format, value, key, binding);
}

/** Throws a `StateEncodeError` with code `invalid_state` when the schema would refuse `value` on reading. */
export function assertWritable<T>(format: SignedBlockFormat<T>, value: T): void {
  const parsed = format.schema.safeParse(value);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}: ${issue.message}`;
  throw new StateEncodeError(
    'invalid_state',
    `refusing to write a ${format.noun} that could not be read back${where}`,
  );
}

/** The block holding `value`, signed with `key`, without validating it (for a value `assertWritable` passed). */
export function signedBlockText<T>(
  format: SignedBlockFormat<T>,
  value: T,
  key: string,
  binding: StateBinding,
): string {
  const json = blockJson(value);
  return blockText(format, json, signStateJson(format, json, key, binding));
}

/** How many characters the block holding `value` takes, without signing it (a signature is `ed25519:` and 86 base64url digits). */
export function encodedBlockLength<T>(format: SignedBlockFormat<T>, value: T): number {
  return blockText(format, blockJson(value), SIGNATURE_PLACEHOLDER).length;
}

/** How many characters `value` takes inside a block's JSON, escapes included: for naming a state's largest part. */
export function blockJsonLength(value: unknown): number {
  return (JSON.stringify(value) ?? '').replace(/[<>&]/g, '\\u00XX').length;
}

/**
 * Reads the value from the one block of `format` in `body` (the rest of the body is visible text). In order:
 * exactly one block of the expected layout, a version this code can read, a signature that matches (checked in
 * constant time, before the JSON is parsed), JSON, migrations up to the current version, and the schema. Every
 * refusal carries a code and a sentence a maintainer can act on.
 */
export function readSignedBlock<T>(
  format: SignedBlockFormat<T>,
  body: string,
  key: string,
  binding: StateBinding,
  migrations: StateMigrations,
): BlockDecodeResult<T> {
  const ring = assertKey(key);
  const { marker, container, version: current } = format;
  const openings = [...body.matchAll(new RegExp(`<!--\\s*${escapeRegExp(marker)}\\b`, 'g'))];
  const first = openings[0];
  if (first === undefined) {
    return fail(
      'missing',
      `the ${container} has no state block (<!-- ${marker} ... -->): it was removed, or this is not a flowgate ${container}`,
    );
  }
  if (openings.length > 1) {
    return fail(
      'malformed',
      `the ${container} has ${openings.length} state blocks where there must be one: someone edited the ${container}`,
    );
  }
  // Line ends may be CRLF: GitHub saves a body edited in its web UI that way.
  const layout = new RegExp(
    `^<!-- ${escapeRegExp(marker)} v=(\\d{1,9})\\r?\\n([^\\r\\n]*)\\r?\\nsig=([^\\r\\n]*)\\r?\\n-->`,
  );
  const block = layout.exec(body.slice(first.index));
  if (block === null) {
    return fail(
      'malformed',
      `the state block is damaged: it must be "<!-- ${marker} v=N", one line of JSON, a "sig=" line and "-->"; someone edited the ${container}`,
    );
  }
  const [, versionText = '', json = '', signature = ''] = block;
  const version = Number(versionText);

  const unreadable = checkVersion(version, current, migrations);
  if (unreadable !== undefined) return unreadable;

  if (/^[0-9a-f]{64}$/.test(signature)) {
    return fail(
      'signature',
      `the state block is signed with a shared secret (HMAC), as flowgate did before 0.2; such blocks are refused, since everyone who could run a workflow could forge one: start the run again (docs/security.md)`,
    );
  }
  if (!signatureMatches({ marker, version }, json, signature, ring, binding)) {
    return fail(
      'signature',
      `the state block's signature does not match: someone edited the ${container}, copied it from another repository or issue, or the state key changed without its old public key kept (docs/security.md)`,
    );
  }

  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return fail('malformed', `the state block's JSON cannot be read: ${String(error)}`);
  }
  if (isRecord(data) && 'v' in data && data.v !== version) {
    return fail(
      'malformed',
      `the state block's first line says version ${version} but its JSON says version ${JSON.stringify(data.v)}`,
    );
  }

  for (let from = version; from < current; from++) {
    const migrate = migrations[from] as StateMigration;
    try {
      data = migrate(data);
    } catch (error) {
      return fail(
        'version',
        `the state block (version ${version}) could not be brought up to version ${current}: the migration from version ${from} to ${from + 1} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  const parsed = format.schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}: ${issue.message}`;
    return fail('shape', `the state block does not hold a valid ${format.noun}${where}`);
  }
  return { ok: true, state: parsed.data };
}

/**
 * The smallest count in 0..max for which `fits(count)` holds, or undefined if not even `max` fits. Dropping more
 * entries never makes a block longer (an entry takes more characters than a count's extra digit), so a binary
 * search finds it with a logarithmic number of encodings.
 */
export function smallestFitting(max: number, fits: (count: number) => boolean): number | undefined {
  if (!fits(max)) return undefined;
  let low = 0;
  let high = max;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** A zod issue path as a reader writes it: `stages.plan.approvals[0].by`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level';
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$-]*$/.test(part))
      text += text === '' ? part : `.${part}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}

/** The value's JSON with `<`, `>` and `&` escaped; they occur only inside JSON strings, where `\u00XX` means the same. */
function blockJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

function blockText<T>(format: SignedBlockFormat<T>, json: string, signature: string): string {
  return `<!-- ${format.marker} v=${format.version}\n${json}\nsig=${signature}\n-->`;
}

const SIGNATURE_PLACEHOLDER = `ed25519:${'0'.repeat(86)}`;

/** A refusal when this code cannot read `version`, or undefined when it can (itself, or by migrations). */
function checkVersion(
  version: number,
  current: number,
  migrations: StateMigrations,
): BlockDecodeResult<never> | undefined {
  if (version > current) {
    return fail(
      'version',
      `the state block has version ${version}, newer than version ${current} that this flowgate reads: it was written by a newer flowgate; upgrade this one`,
    );
  }
  for (let from = version; from < current; from++) {
    if (!Object.hasOwn(migrations, from) || typeof migrations[from] !== 'function') {
      return fail(
        'version',
        `the state block has version ${version}, which this flowgate (state version ${current}) cannot read: it has no migration from version ${from} to ${from + 1}`,
      );
    }
  }
  return undefined;
}

/**
 * Whether a key of the ring verifies the signature for this binding. A line with a lone surrogate never matches:
 * the writer escapes them, and UTF-8 would sign one like U+FFFD.
 */
function signatureMatches(
  format: { marker: string; version: number },
  json: string,
  signature: string,
  ring: StateKeyRing,
  binding: StateBinding,
): boolean {
  if (!json.isWellFormed() || !signature.startsWith('ed25519:')) return false;
  return verifyWithRing(ring, signedMessage(format, json, binding), signature.slice('ed25519:'.length));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(
  code: DecodeFailureCode,
  message: string,
): { ok: false; code: DecodeFailureCode; message: string } {
  return { ok: false, code, message };
}
