import { RUN_STATE_BLOCK, runBinding, type StateWhere } from './encode-state.ts';
import type { RunState } from './run-state.ts';
import {
  type BlockDecodeResult,
  readSignedBlock,
  type StateMigration,
  type StateMigrations,
} from './signed-block.ts';

export type { DecodeFailureCode, StateMigration, StateMigrations } from './signed-block.ts';

/** The migrations this flowgate knows; empty, since version 1 is the first. */
export const STATE_MIGRATIONS: StateMigrations = Object.freeze({} as Record<number, StateMigration>);

export type DecodeResult = BlockDecodeResult<RunState>;

export interface DecodeOptions {
  /** Defaults to `STATE_MIGRATIONS`. */
  migrations?: StateMigrations;
}

/**
 * Reads the run's state from the hidden block in a status comment (the rest of the comment is the visible
 * status), bound to `where` (the repository's id and the subject's number). In order: exactly one block of the expected layout, a version this flowgate can read, a signature
 * that matches (checked in constant time, before the JSON is parsed), JSON, migrations up to the current
 * version, and the run-state schema. Every refusal carries a code and a sentence a maintainer can act on.
 */
export function decodeStateBlock(
  commentBody: string,
  key: string,
  where: StateWhere,
  options: DecodeOptions = {},
): DecodeResult {
  return readSignedBlock(
    RUN_STATE_BLOCK,
    commentBody,
    key,
    runBinding(where),
    options.migrations ?? STATE_MIGRATIONS,
  );
}
