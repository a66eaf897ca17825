import type { z } from 'zod';
import type { Path } from '../diagnostic.ts';
import { APPROVER_PATTERN } from '../schema/gate.ts';
import { OUTPUT_PATTERN } from '../schema/stage.ts';
import { didYouMean } from '../suggest.ts';
import { knownKeysAt } from './schema-keys.ts';

/** A schema finding before it is positioned in a file. */
export interface Finding {
  path: Path;
  message: string;
  /** Point at the key rather than the value (unknown fields). */
  atKey?: boolean;
}

type Issue = z.core.$ZodIssue & { input?: unknown; note?: string; options?: unknown[] };

/** Turns zod's issues into plain-words findings, one per problem, with "did you mean" where it helps. */
export function findingsFromIssues(
  schema: z.ZodType,
  issues: readonly Issue[],
  prefix: Path = [],
): Finding[] {
  return issues.flatMap((issue) => findingsFromIssue(schema, issue, prefix));
}

function findingsFromIssue(schema: z.ZodType, issue: Issue, prefix: Path): Finding[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return [{ path, message: `missing required field "${String(path.at(-1))}"` }];
      }
      if (issue.input === null)
        return [{ path, message: `is empty; it must be ${expected(issue.expected)}` }];
      return [{ path, message: `must be ${expected(issue.expected)}, not ${describe(issue.input)}` }];
    case 'invalid_value': {
      if (issue.input === undefined)
        return [{ path, message: `missing required field "${String(path.at(-1))}"` }];
      const values = issue.values.map((v) => String(v));
      const list = values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`;
      // `version: "1"` is the text "1", not the number 1: say so rather than suggest "1".
      if (
        typeof issue.input === 'string' &&
        issue.values.some((v) => typeof v !== 'string' && String(v) === issue.input)
      ) {
        return [
          { path, message: `must be ${list} written without quotes, not the text ${describe(issue.input)}` },
        ];
      }
      const got = typeof issue.input === 'string' ? didYouMean(issue.input, values) : '';
      return [{ path, message: `must be ${list}, not ${describe(issue.input)}${got}` }];
    }
    case 'invalid_format': {
      const got = typeof issue.input === 'string' ? `, not ${describe(issue.input)}` : '';
      const what = issue.format === 'url' ? 'must be a URL starting with https:// or http://' : issue.message;
      return [{ path, message: `${what}${got}${formatHint(issue)}` }];
    }
    // The schema's own words win over the generic ones ("must list at least one stage").
    case 'too_small':
      return [
        {
          path,
          message: ownMessage(issue) ?? sizeMessage('at least', issue.origin, issue.minimum, issue.inclusive),
        },
      ];
    case 'too_big':
      return [
        {
          path,
          message: ownMessage(issue) ?? sizeMessage('at most', issue.origin, issue.maximum, issue.inclusive),
        },
      ];
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path);
      const use = (issue.input as { use?: unknown } | undefined)?.use;
      // A field of another kind of provider (`run` beside `use: anthropic`) is known, just not here.
      const elsewhere = typeof use === 'string' ? ` with use: ${use}` : ' here';
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: known.includes(key)
          ? `the field "${key}" is not allowed${elsewhere}`
          : `unknown field "${key}"${didYouMean(key, known)}`,
        atKey: true,
      }));
    }
    case 'invalid_union':
      return unionFindings(schema, issue, path);
    case 'invalid_key':
      return [
        {
          path,
          message: `the name ${describe(issue.input)} is not allowed: ${issue.issues.map((i) => i.message).join('; ')}`,
          atKey: true,
        },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

function unionFindings(schema: z.ZodType, issue: Issue & { code: 'invalid_union' }, path: Path): Finding[] {
  if (issue.note === 'No matching discriminator') {
    const options = (issue.options ?? []).map(String);
    const input = (issue.input as Record<string, unknown> | undefined)?.[String(path.at(-1))];
    const hint = typeof input === 'string' ? didYouMean(input, options) : '';
    const list = options.join(', ');
    const message =
      input === undefined
        ? `missing required field "${String(path.at(-1))}": one of ${list}`
        : `must be one of ${list}, not ${describe(input)}${hint}`;
    return [{ path, message }];
  }
  // Every branch wants one of some values (`true`, or `completed`/`not_planned`): list them all.
  const choices = issue.errors.map((branch) => (branch.length === 1 ? branch[0] : undefined));
  if (choices.every((i) => i?.code === 'invalid_value' && i.path.length === 0)) {
    const values = choices.flatMap((i) => (i?.code === 'invalid_value' ? i.values : []));
    return findingsFromIssue(
      schema,
      { ...(choices[0] as Issue & { code: 'invalid_value' }), values, input: issue.input },
      path,
    );
  }
  if (issue.input === undefined)
    return [{ path, message: `missing required field "${String(path.at(-1))}"` }];
  // A branch that accepted the value's type is the one the user meant; report its findings. A number where a
  // whole number is wanted counts as the right type.
  const wrongType = (i: z.core.$ZodIssue) =>
    i.code === 'invalid_type' &&
    (i.path as unknown[]).length === 0 &&
    !(i.expected === 'int' && typeof issue.input === 'number');
  const meant = issue.errors.filter((branch) => !branch.some(wrongType));
  if (meant.length > 0) {
    const best = meant.reduce((a, b) => (b.length < a.length ? b : a));
    return findingsFromIssues(schema, best as Issue[], path);
  }
  const wanted = issue.errors.flatMap((branch) =>
    branch
      .filter((i) => i.code === 'invalid_type')
      .map((i) => expected((i as { expected: string }).expected)),
  );
  const list = [...new Set(wanted)].join(' or ');
  if (issue.input === null) return [{ path, message: `is empty; it must be ${list}` }];
  return [{ path, message: `must be ${list}, not ${describe(issue.input)}` }];
}

/** A message the schema wrote itself, rather than zod's default ("Too small: ..."). */
function ownMessage(issue: Issue): string | undefined {
  return /^Too (small|big)\b/.test(issue.message) ? undefined : issue.message;
}

function formatHint(issue: Issue & { code: 'invalid_format' }): string {
  if (typeof issue.input !== 'string' || issue.format !== 'regex') return '';
  const pattern = (issue as { pattern?: string }).pattern;
  if (pattern === String(APPROVER_PATTERN)) return didYouMean(issue.input, ['skip', 'manual', 'review']);
  if (pattern === String(OUTPUT_PATTERN)) return didYouMean(issue.input, ['comment', 'pull_request']);
  return '';
}

function sizeMessage(bound: string, origin: string, limit: unknown, inclusive: boolean | undefined): string {
  const n = Number(limit);
  switch (origin) {
    case 'array':
      return `must list ${bound} ${n} item${n === 1 ? '' : 's'}`;
    case 'string':
      return n === 1 && bound === 'at least' ? 'must not be empty' : `must be ${bound} ${n} characters long`;
    default:
      if (inclusive === false) return `must be ${bound === 'at least' ? 'more' : 'less'} than ${n}`;
      return `must be ${bound} ${n}`;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  array: 'a list',
  record: 'a mapping of names',
};

function expected(kind: string): string {
  return EXPECTED[kind] ?? kind;
}

/** A short description of a value for messages: `"manul"`, `a list`, `42`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}
