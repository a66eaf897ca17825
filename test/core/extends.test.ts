import { posix } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostic.ts';
import { type LoadResult, loadWorkflow, type ReadSource } from '../../src/core/load/load-workflow.ts';

/** A checkout held in memory: `extends:` paths resolve against the extending file's folder. */
function repo(files: Record<string, string>): ReadSource {
  return async (ref, from) => {
    const name = posix.join(posix.dirname(from), ref);
    const text = files[name];
    if (text === undefined) throw new Error(`${name} does not exist`);
    return { name, text };
  };
}

async function loadFrom(
  files: Record<string, string>,
  name = '.github/flowgate/child.yml',
): Promise<LoadResult> {
  const text = files[name];
  if (text === undefined) throw new Error(`no ${name}`);
  return loadWorkflow(name, text, { readSource: repo(files) });
}

/** `file:line:col message` for each finding: where a user is sent, and what they read there. */
function where(result: LoadResult): string[] {
  return result.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`);
}

const BASE = `version: 1
name: base
description: The shared plan-and-review flow
providers:
  writer: anthropic/claude-sonnet-4-5
  checker: openai/gpt-5-mini
defaults:
  provider: writer
  max_retries: 5
limits:
  max_tokens: 1000
stages:
  - id: plan
    instructions: Plan {{ subject.title }}
    gate: manual
  - id: review
    instructions: Review the plan
    gate: ai:checker
  - id: done
`;

describe('extends', () => {
  describe('with a local base file', () => {
    const files = {
      '.github/flowgate/base.yml': BASE,
      '.github/flowgate/child.yml': `extends: base.yml
name: child
providers:
  writer: anthropic/claude-opus-4-1
  local: { use: openai-compatible, model: qwen3, base_url: "http://localhost:11434/v1" }
defaults:
  provider: writer
stages:
  - id: review
    provider: local
    next: announce
  - id: announce
    run: [{ comment: "Reviewed." }]
    next: done
`,
    };

    it('merges providers by name: the child replaces one and adds one, the base keeps the rest', async () => {
      const { workflow } = await loadFrom(files);
      expect(workflow?.providers).toEqual({
        writer: { use: 'anthropic', model: 'claude-opus-4-1', timeout_seconds: 300 },
        checker: { use: 'openai', model: 'gpt-5-mini', timeout_seconds: 300 },
        local: {
          use: 'openai-compatible',
          model: 'qwen3',
          base_url: 'http://localhost:11434/v1',
          timeout_seconds: 300,
        },
      });
    });

    it('merges stages by id field by field, and appends new stages', async () => {
      const { workflow } = await loadFrom(files);
      expect(workflow?.stages.map((s) => [s.id, s.type, s.provider, s.gate.approver, s.next])).toEqual([
        ['plan', 'entry', 'writer', 'manual', 'review'],
        ['review', 'work', 'local', 'ai:checker', 'announce'],
        ['done', 'terminal', undefined, 'skip', undefined],
        ['announce', 'work', undefined, 'skip', 'done'],
      ]);
      expect(workflow?.stages[1]?.instructions).toBe('Review the plan');
    });

    it("keeps the base's last stage its end when stages are appended after it", async () => {
      const result = await loadFrom(
        {
          'f/base.yml': 'version: 1\nname: base\nstages:\n  - { id: write, mode: manual }\n  - id: done\n',
          'f/child.yml':
            'extends: base.yml\nname: child\nstages:\n  - { id: write, next: tidy }\n  - { id: tidy, run: [{ close: true }], next: done }\n',
        },
        'f/child.yml',
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.workflow?.stages.map((s) => [s.id, s.type])).toEqual([
        ['write', 'entry'],
        ['done', 'terminal'],
        ['tidy', 'work'],
      ]);
    });

    it("keeps the base's first stage a start when the child adds another", async () => {
      const result = await loadFrom(
        {
          'f/base.yml': 'version: 1\nname: base\nstages:\n  - { id: write, mode: manual }\n  - id: done\n',
          'f/child.yml':
            'extends: base.yml\nname: child\nstages:\n  - { id: hotfix, type: entry, mode: manual, next: done }\n',
        },
        'f/child.yml',
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.workflow?.stages.map((s) => [s.id, s.type])).toEqual([
        ['write', 'entry'],
        ['done', 'terminal'],
        ['hotfix', 'entry'],
      ]);
    });

    it("lets a child lead on from the base's last stage", async () => {
      const result = await loadFrom(
        {
          'f/base.yml':
            'version: 1\nname: base\nstages:\n  - { id: write, mode: manual }\n  - id: publish\n    run: [{ close: true }]\n',
          'f/child.yml':
            'extends: base.yml\nname: child\nstages:\n  - { id: publish, next: done }\n  - id: done\n',
        },
        'f/child.yml',
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.workflow?.stages.map((s) => [s.id, s.type])).toEqual([
        ['write', 'entry'],
        ['publish', 'work'],
        ['done', 'terminal'],
      ]);
    });

    it('replaces other top-level fields whole, and keeps those the child leaves out', async () => {
      const { workflow } = await loadFrom(files);
      expect(workflow?.name).toBe('child');
      expect(workflow?.description).toBe('The shared plan-and-review flow');
      // defaults is replaced, not merged: the base's max_retries: 5 is gone.
      expect(workflow?.defaults.max_retries).toBe(3);
      expect(workflow?.limits).toEqual({ max_tokens: 1000, timeout_minutes: 120 });
      expect(workflow).not.toHaveProperty('extends');
    });

    it('reads the base relative to the extending file, naming that file', async () => {
      const readSource = vi.fn(repo(files));
      await loadWorkflow('.github/flowgate/child.yml', files['.github/flowgate/child.yml'], { readSource });
      expect(readSource).toHaveBeenCalledExactlyOnceWith('base.yml', '.github/flowgate/child.yml');
    });

    it('lists every file it read, the workflow first', async () => {
      const { files: read } = await loadFrom(files);
      expect(read.map((f) => f.name)).toEqual(['.github/flowgate/child.yml', '.github/flowgate/base.yml']);
    });
  });

  describe('positions a finding in the file the value came from', () => {
    const base = `version: 1
name: base
providers:
  writer: anthropic/claude-sonnet-4-5
stages:
  - id: plan
    provider: writer
    instructions: Plan {{ subject.title }}
    gate: manul
  - id: done
`;

    it('a bad field in the base file, at the base file line', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': base,
          'flows/child.yml': 'extends: base.yml\nname: child\n',
        },
        'flows/child.yml',
      );
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([
        [
          'flows/base.yml:9:11: must be skip, manual, review or ai:<provider>, not "manul" (did you mean "manual"?) (stages[0].gate)',
          '> 9 |     gate: manul',
          '    |           ^',
        ].join('\n'),
      ]);
      expect(result.workflow).toBeUndefined();
    });

    it('a bad field the child sets over the base, at the child line', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': base.replace('manul', 'manual'),
          'flows/child.yml': 'extends: base.yml\nname: child\nstages:\n  - id: plan\n    gate: revue\n',
        },
        'flows/child.yml',
      );
      expect(where(result)).toEqual([
        'flows/child.yml:5:11 must be skip, manual, review or ai:<provider>, not "revue" (did you mean "review"?)',
      ]);
    });

    it('no finding for a bad base field the child puts right', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': base,
          'flows/child.yml': 'extends: base.yml\nname: child\nstages:\n  - id: plan\n    gate: manual\n',
        },
        'flows/child.yml',
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.workflow?.stages[0]?.gate.approver).toBe('manual');
    });

    it('a lint finding about a base stage, at the base; about a child stage, at the child', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': base.replace('manul', 'manual').replace('provider: writer', 'provider: writter'),
          'flows/child.yml': 'extends: base.yml\nname: child\nstages:\n  - id: extra\n    next: dnoe\n',
        },
        'flows/child.yml',
      );
      expect(where(result)).toEqual([
        'flows/base.yml:7:15 provider "writter" is not declared under providers (declared: writer) (did you mean "writer"?)',
        'flows/child.yml:4:5 ai stage "extra" has no instructions to give the model',
        'flows/child.yml:4:5 stage "extra" declares no gate, so its output waits for a person\'s /approve (the default gate of ai and command stages is manual; it used to be skip). Write gate: manual (or defaults: { gate: manual }) to keep this, or gate: skip to let the output pass on its own',
        'flows/child.yml:4:5 stage "extra" is an ai stage but names no provider (set provider, or defaults.provider)',
        'flows/child.yml:5:11 next stage "dnoe" is not a stage of this workflow (did you mean "done"?)',
      ]);
    });

    it('a provider the child redefines badly, at the child', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': base.replace('manul', 'manual'),
          'flows/child.yml': 'extends: base.yml\nname: child\nproviders:\n  writer: { use: anthropic }\n',
        },
        'flows/child.yml',
      );
      expect(where(result)).toEqual(['flows/child.yml:4:11 missing required field "model"']);
    });

    it('a YAML mistake in the base, at the base', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': 'version: 1\nname: "base\n',
          'flows/child.yml': 'extends: base.yml\nname: child\n',
        },
        'flows/child.yml',
      );
      expect(where(result)).toEqual(['flows/base.yml:2:7 YAML syntax: a " quote is opened but never closed']);
    });

    it('a base that is not a mapping, at the base', async () => {
      const result = await loadFrom(
        {
          'flows/base.yml': '- plan\n- done\n',
          'flows/child.yml': 'extends: base.yml\nname: child\n',
        },
        'flows/child.yml',
      );
      expect(where(result)).toEqual([
        'flows/base.yml:1:1 a workflow file must be a mapping of fields (version, name, stages, ...)',
      ]);
    });
  });

  describe('through a chain of files', () => {
    const files = {
      'a/grand.yml': `version: 1
name: grand
providers:
  writer: anthropic/claude-sonnet-4-5
labels:
  color: "0000zz"
stages:
  - id: plan
    provider: writer
    instructions: Plan
  - id: done
`,
      'a/b/parent.yml': `extends: ../grand.yml
name: parent
stages:
  - id: plan
    instructions: Plan carefully
`,
      'a/b/c/child.yml': `extends: ../parent.yml
name: child
stages:
  - id: plan
    gate: manual
`,
    };

    it('lays each file over the one it extends', async () => {
      const result = await loadFrom(
        { ...files, 'a/grand.yml': files['a/grand.yml'].replace('0000zz', '0000ff') },
        'a/b/c/child.yml',
      );
      expect(result.diagnostics).toEqual([]);
      expect(result.workflow?.name).toBe('child');
      expect(result.workflow?.stages[0]).toMatchObject({
        instructions: 'Plan carefully',
        provider: 'writer',
      });
      expect(result.workflow?.stages[0]?.gate.approver).toBe('manual');
      expect(result.files.map((f) => f.name)).toEqual(['a/b/c/child.yml', 'a/b/parent.yml', 'a/grand.yml']);
    });

    it('positions a finding from the first file in that file', async () => {
      const result = await loadFrom(files, 'a/b/c/child.yml');
      expect(where(result)).toEqual([
        'a/grand.yml:6:10 must be six hex digits without "#", e.g. 5319e7, not "0000zz"',
      ]);
    });

    it('positions a finding in the middle file in that file', async () => {
      const result = await loadFrom(
        {
          ...files,
          'a/grand.yml': files['a/grand.yml'].replace('0000zz', '0000ff'),
          'a/b/parent.yml': files['a/b/parent.yml'].replace('Plan carefully', '"{{ oops"'),
        },
        'a/b/c/child.yml',
      );
      expect(where(result)).toEqual(['a/b/parent.yml:5:20 template error: "{{" is not closed with "}}"']);
    });
  });

  describe('refuses', () => {
    it('a cycle, naming each file in it, at the extends that closes it', async () => {
      const result = await loadFrom(
        {
          'f/a.yml': 'extends: b.yml\nversion: 1\nname: a\nstages: [{ id: done }]\n',
          'f/b.yml': 'extends: a.yml\nversion: 1\nname: b\nstages: [{ id: done }]\n',
        },
        'f/a.yml',
      );
      expect(where(result)).toEqual(['f/b.yml:1:10 extends forms a cycle: f/a.yml -> f/b.yml -> f/a.yml']);
      expect(result.workflow).toBeUndefined();
    });

    it('a file that extends itself', async () => {
      const result = await loadFrom(
        { 'f/a.yml': 'extends: ./a.yml\nversion: 1\nname: a\nstages: [{ id: done }]\n' },
        'f/a.yml',
      );
      expect(where(result)).toEqual(['f/a.yml:1:10 extends forms a cycle: f/a.yml -> f/a.yml']);
    });

    it('a chain deeper than five files beyond the workflow', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 7; i++) files[`d/${i}.yml`] = `extends: ${i + 1}.yml\nname: n${i}\n`;
      files['d/7.yml'] = 'version: 1\nname: last\nstages: [{ id: done }]\n';
      const result = await loadFrom(files, 'd/0.yml');
      expect(where(result)).toEqual(['d/5.yml:1:10 extends goes more than 5 files deep']);
    });

    it('but follows a chain of exactly five', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 5; i++) files[`d/${i}.yml`] = `extends: ${i + 1}.yml\nname: n${i}\n`;
      files['d/5.yml'] = 'version: 1\nname: last\nstages: [{ id: plan, mode: manual }, { id: done }]\n';
      const result = await loadFrom(files, 'd/0.yml');
      expect(result.diagnostics).toEqual([]);
      expect(result.workflow?.name).toBe('n0');
      expect(result.files).toHaveLength(6);
    });

    it('a base it cannot read, with the reason', async () => {
      const result = await loadFrom({ 'f/a.yml': 'extends: missing.yml\nversion: 1\nname: a\n' }, 'f/a.yml');
      expect(where(result)).toEqual(['f/a.yml:1:10 cannot read "missing.yml": f/missing.yml does not exist']);
    });

    it('a base whose reader throws something that is not an Error', async () => {
      const readSource: ReadSource = () => Promise.reject('rate limited');
      const result = await loadWorkflow('a.yml', 'extends: owner/repo/base.yml@v1\nname: a\n', {
        readSource,
      });
      expect(where(result)).toEqual(['a.yml:1:10 cannot read "owner/repo/base.yml@v1": rate limited']);
    });

    it('to follow extends when no reader is given', async () => {
      const result = await loadWorkflow('a.yml', 'extends: base.yml\nname: a\n');
      expect(where(result)).toEqual(['a.yml:1:10 cannot follow extends "base.yml" here']);
    });

    it('an extends that is not text, as a schema finding', async () => {
      const result = await loadWorkflow('a.yml', 'extends: { file: base.yml }\nname: a\n', {
        readSource: repo({}),
      });
      expect(result.diagnostics.map((d) => [d.rule, d.path, d.message])).toEqual([
        ['schema', 'extends', 'must be text: a relative path or owner/repo/path@ref'],
      ]);
    });
  });
});
