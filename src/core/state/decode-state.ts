import { timingSafeEqual } from 'node:crypto';
import { assertKey, formatIssuePath, STATE_BLOCK_MARKER, signStateJson } from './encode-state.ts';
import { type RunState, RunStateSchema, STATE_VERSION } from './run-state.ts';

/** Maps the state of version n (the key) to the state of version n + 1. */
export type StateMigration = (old: unknown) => unknown;
export type StateMigrations = Readonly<Record<number, StateMigration>>;

/** The migrations this flowgate knows; empty, since version 1 is the first. */
export const STATE_MIGRATIONS: StateMigrations = Object.freeze({});

export type DecodeFailureCode = 'missing' | 'malformed' | 'signature' | 'version' | 'shape';

export type DecodeResult =
  | { ok: true; state: RunState }
  | { ok: false; code: DecodeFailureCode; message: string };

export interface DecodeOptions {
  /** Defaults to `STATE_MIGRATIONS`. */
  migrations?: StateMigrations;
}

const OPENING = new RegExp(`<!--\\s*${STATE_BLOCK_MARKER}\\b`, 'g');
/** Line ends may be CRLF: GitHub saves a comment edited in its web UI that way. */
const BLOCK = new RegExp(
  `^<!-- ${STATE_BLOCK_MARKER} v=(\\d{1,9})\\r?\\n([^\\r\\n]*)\\r?\\nsig=([^\\r\\n]*)\\r?\\n-->`,
);

const SIGNATURE_MISMATCH =
  "the state block's signature does not match: someone edited the status comment, or FLOWGATE_STATE_KEY changed";

/**
 * Reads the run's state from the hidden block in a status comment (the rest of the comment is the visible
 * status). In order: exactly one block of the expected layout, a version this flowgate can read, a signature
 * that matches (checked in constant time, before the JSON is parsed), JSON, migrations up to the current
 * version, and the run-state schema. Every refusal carries a code and a sentence a maintainer can act on.
 */
export function decodeStateBlock(
  commentBody: string,
  key: string,
  options: DecodeOptions = {},
): DecodeResult {
  assertKey(key);
  const migrations = options.migrations ?? STATE_MIGRATIONS;

  const openings = [...commentBody.matchAll(OPENING)];
  const first = openings[0];
  if (first === undefined) {
    return fail(
      'missing',
      `the status comment has no state block (<!-- ${STATE_BLOCK_MARKER} ... -->): it was removed, or this is not a flowgate status comment`,
    );
  }
  if (openings.length > 1) {
    return fail(
      'malformed',
      `the status comment has ${openings.length} state blocks where there must be one: someone edited the status comment`,
    );
  }
  const block = BLOCK.exec(commentBody.slice(first.index));
  if (block === null) {
    return fail(
      'malformed',
      `the state block is damaged: it must be "<!-- ${STATE_BLOCK_MARKER} v=N", one line of JSON, a "sig=" line and "-->"; someone edited the status comment`,
    );
  }
  const [, versionText = '', json = '', signature = ''] = block;
  const version = Number(versionText);

  const unreadable = checkVersion(version, migrations);
  if (unreadable !== undefined) return unreadable;

  if (!signatureMatches(json, signature, key)) return fail('signature', SIGNATURE_MISMATCH);

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

  for (let from = version; from < STATE_VERSION; from++) {
    const migrate = migrations[from] as StateMigration;
    try {
      data = migrate(data);
    } catch (error) {
      return fail(
        'version',
        `the state block (version ${version}) could not be brought up to version ${STATE_VERSION}: the migration from version ${from} to ${from + 1} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  const parsed = RunStateSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path)}: ${issue.message}`;
    return fail('shape', `the state block does not hold a valid run state${where}`);
  }
  return { ok: true, state: parsed.data };
}

/** A refusal when this flowgate cannot read `version`, or undefined when it can (itself, or by migrations). */
function checkVersion(version: number, migrations: StateMigrations): DecodeResult | undefined {
  if (version > STATE_VERSION) {
    return fail(
      'version',
      `the state block has version ${version}, newer than version ${STATE_VERSION} that this flowgate reads: it was written by a newer flowgate; upgrade this one`,
    );
  }
  for (let from = version; from < STATE_VERSION; from++) {
    if (!Object.hasOwn(migrations, from) || typeof migrations[from] !== 'function') {
      return fail(
        'version',
        `the state block has version ${version}, which this flowgate (state version ${STATE_VERSION}) cannot read: it has no migration from version ${from} to ${from + 1}`,
      );
    }
  }
  return undefined;
}

/**
 * Compares the hex texts in constant time; lengths first, since `timingSafeEqual` needs equal lengths. A line
 * with a lone surrogate never matches: the writer escapes them, and UTF-8 would sign one like U+FFFD.
 */
function signatureMatches(json: string, signature: string, key: string): boolean {
  if (!json.isWellFormed()) return false;
  const expected = Buffer.from(signStateJson(json, key), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(code: DecodeFailureCode, message: string): DecodeResult {
  return { ok: false, code, message };
}
