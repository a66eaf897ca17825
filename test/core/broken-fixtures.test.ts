import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { actionsSchedules } from '../../src/core/load/actions-schedules.ts';
import { type LoadResult, loadWorkflow, type ReadSource } from '../../src/core/load/load-workflow.ts';

const ROOT = new URL('../../', import.meta.url);
const DIR = 'test/fixtures/broken';
const KINDS = ['yaml', 'schema', 'lint', 'extends'] as const;

/** Follows `extends:` to files beside the fixture, as the CLI does in a checkout. */
const readSibling: ReadSource = async (ref, from) => {
  const name = posix.join(posix.dirname(from), ref);
  const url = new URL(name, ROOT);
  if (!existsSync(url)) throw new Error(`${name} does not exist`);
  return { name, text: await readFile(url, 'utf8') };
};

interface Fixture {
  name: string;
  file: string;
  text: string;
  kind: string | undefined;
  expected: string;
}

const fixtures: Fixture[] = readdirSync(new URL(`${DIR}/`, ROOT))
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => {
    const file = `${DIR}/${f}`;
    const text = readFileSync(new URL(file, ROOT), 'utf8');
    const expectedFile = new URL(file.replace(/\.yml$/, '.expected.txt'), ROOT);
    return {
      name: f.replace(/\.yml$/, ''),
      file,
      text,
      kind: /^# kind: (\S+)\n/.exec(text)?.[1],
      expected: existsSync(expectedFile) ? readFileSync(expectedFile, 'utf8') : '(missing .expected.txt)',
    };
  });

const results = new Map<string, Promise<LoadResult>>();
function loadFixture(fixture: Fixture): Promise<LoadResult> {
  let result = results.get(fixture.name);
  if (result === undefined) {
    // `# actions-workflow: <path>`: the fixture is judged with that Actions workflow as the repository's.
    const actions = /^# actions-workflow: (\S+)$/m.exec(fixture.text)?.[1];
    const path = actions === undefined ? undefined : `${DIR}/${actions}`;
    const schedules =
      path === undefined
        ? {}
        : { actionsSchedules: actionsSchedules(path, readFileSync(new URL(path, ROOT), 'utf8')) };
    result = loadWorkflow(fixture.file, fixture.text, { readSource: readSibling, ...schedules });
    results.set(fixture.name, result);
  }
  return result;
}

/** The rule a lint fixture is named for: `template-syntax.yml` shows the `template` rule. */
function ruleOf(fixture: Fixture): string {
  return fixture.name.startsWith('template-') ? 'template' : fixture.name;
}

/** Every rule name the lint pass can report, read from the rules' source. */
function lintRuleNames(): string[] {
  const dir = new URL('src/core/lint/', ROOT);
  const names = new Set<string>();
  for (const f of readdirSync(dir)) {
    const source = readFileSync(new URL(f, dir), 'utf8');
    for (const m of source.matchAll(/\b(?:error|warning)\(\s*'([a-z-]+)'/g)) if (m[1]) names.add(m[1]);
    for (const m of source.matchAll(/\brule: '([a-z-]+)'/g)) if (m[1]) names.add(m[1]);
  }
  return [...names].sort();
}

describe('the broken fixtures', () => {
  it('are all there', () => {
    expect(fixtures.length).toBeGreaterThan(40);
  });

  it('include one lint fixture for every lint rule', () => {
    const shown = new Set(fixtures.filter((f) => f.kind === 'lint').map(ruleOf));
    expect(lintRuleNames().filter((rule) => !shown.has(rule))).toEqual([]);
  });

  it('include every kind of finding', () => {
    expect(new Set(fixtures.map((f) => f.kind))).toEqual(new Set(KINDS));
  });
});

describe.each(fixtures)('$file', (fixture) => {
  it('starts with a "# kind:" comment', () => {
    expect(KINDS).toContain(fixture.kind);
  });

  it('loads to exactly the findings in its .expected.txt', async () => {
    const { diagnostics } = await loadFixture(fixture);
    expect(`${diagnostics.map(formatDiagnostic).join('\n')}\n`).toBe(fixture.expected);
  });

  it('returns a workflow only when every finding is a warning', async () => {
    const { workflow, diagnostics } = await loadFixture(fixture);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(workflow === undefined).toBe(errors.length > 0);
  });

  it('shows the kind of finding it is filed under', async () => {
    const { diagnostics } = await loadFixture(fixture);
    const rules = new Set(diagnostics.map((d) => d.rule));
    switch (fixture.kind) {
      case 'yaml':
      case 'schema':
        expect(rules).toEqual(new Set([fixture.kind]));
        break;
      case 'lint':
        expect(rules).toContain(ruleOf(fixture));
        expect([...rules].filter((r) => ['yaml', 'schema', 'extends'].includes(r))).toEqual([]);
        break;
      case 'extends': {
        // Such a file cannot be judged without following its extends.
        const alone = await loadWorkflow(fixture.file, fixture.text);
        expect(alone.diagnostics.map((d) => d.rule)).toEqual(['extends']);
        break;
      }
    }
  });
});

describe('a file with warnings only', () => {
  it.each([
    'unbounded-cycle',
    'verdict-without-verdict',
    'template-unknown-variable',
    'transition-without-fallback',
  ])('%s still returns its workflow', async (name) => {
    const fixture = fixtures.find((f) => f.name === name);
    if (fixture === undefined) throw new Error(`no fixture ${name}`);
    const { workflow, diagnostics } = await loadFixture(fixture);
    expect(diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(workflow?.name).toBe('demo');
  });
});

describe('a file with errors', () => {
  it.each(['yaml-syntax', 'unknown-key', 'unknown-stage', 'extends-cycle'])(
    '%s returns no workflow',
    async (name) => {
      const fixture = fixtures.find((f) => f.name === name);
      if (fixture === undefined) throw new Error(`no fixture ${name}`);
      const result = await loadFixture(fixture);
      expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(result.workflow).toBeUndefined();
    },
  );
});
