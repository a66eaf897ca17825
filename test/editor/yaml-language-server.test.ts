import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowJsonSchemaText } from '../../src/core/schema/json-schema.ts';

/** A language client that speaks JSON-RPC over the server's standard streams, as an editor does. */
class LanguageClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  readonly diagnostics = new Map<string, { message: string; range: { start: { line: number } } }[]>();
  private readonly diagnosticsWaiters: (() => void)[] = [];

  private readonly server: ChildProcess;

  constructor(server: ChildProcess) {
    this.server = server;
    server.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  nextDiagnostics(): Promise<void> {
    return new Promise((resolve) => this.diagnosticsWaiters.push(resolve));
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.server.stdin?.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.server.stdin?.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1],
      );
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(
        this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'),
      );
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(message);
    }
  }

  private handle(message: { id?: number; method?: string; params?: unknown; result?: unknown }): void {
    if (message.method === undefined && message.id !== undefined) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: never[] };
      this.diagnostics.set(uri, diagnostics);
      for (const waiter of this.diagnosticsWaiters.splice(0)) waiter();
    } else if (message.id !== undefined) {
      // A request from the server (configuration, registrations): answer as an editor with no settings would.
      this.send({
        jsonrpc: '2.0',
        id: message.id,
        result: message.method === 'workspace/configuration' ? [] : null,
      });
    }
  }
}

const require = createRequire(import.meta.url);
const SERVER = join(
  dirname(require.resolve('yaml-language-server/package.json')),
  'bin/yaml-language-server',
);

let server: ChildProcess;
let client: LanguageClient;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowgate-editor-'));
  // What `flowgate init` writes beside the workflows.
  await writeFile(join(dir, 'workflow.schema.json'), workflowJsonSchemaText());
  server = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  client = new LanguageClient(server);
  await client.request('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: false } } } },
  });
  client.notify('initialized', {});
  client.notify('workspace/didChangeConfiguration', {
    settings: { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false } } },
  });
}, 60_000);

afterAll(() => {
  server?.kill();
});

/** Opens a workflow file with the schema modeline and asks for completions at the end of `line`. */
async function completionsAt(name: string, lines: string[], line: number): Promise<string[]> {
  const uri = pathToFileURL(join(dir, name)).href;
  const text = ['# yaml-language-server: $schema=./workflow.schema.json', ...lines, ''].join('\n');
  const diagnosed = client.nextDiagnostics();
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await diagnosed;
  const result = (await client.request('textDocument/completion', {
    textDocument: { uri },
    position: { line: line + 1, character: (lines[line] ?? '').length },
  })) as { items: { label: string }[] } | { label: string }[];
  return (Array.isArray(result) ? result : result.items).map((item) => item.label).sort();
}

describe('yaml-language-server, with the schema flowgate init writes', () => {
  it.each([
    ['a stage gate', ['version: 1', 'name: demo', 'stages:', '  - id: plan', '    gate: ']],
    ['an approver', ['version: 1', 'name: demo', 'stages:', '  - id: plan', '    gate:', '      approver: ']],
    ['the default gate', ['version: 1', 'name: demo', 'defaults:', '  gate: ']],
  ])(
    'completes %s to skip, manual and review',
    async (what, lines) => {
      const labels = await completionsAt(`${what.replace(/ /g, '-')}.yml`, lines, lines.length - 1);
      expect(labels).toEqual(expect.arrayContaining(['manual', 'review', 'skip']));
    },
    30_000,
  );

  it('marks a misspelt gate', async () => {
    const uri = pathToFileURL(join(dir, 'typo.yml')).href;
    const text = [
      '# yaml-language-server: $schema=./workflow.schema.json',
      'version: 1',
      'name: demo',
      'stages:',
      '  - id: plan',
      '    gate: manul',
      '',
    ].join('\n');
    const diagnosed = client.nextDiagnostics();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await diagnosed;
    const found = client.diagnostics.get(uri) ?? [];
    expect(found.map((d) => d.range.start.line)).toContain(5);
  }, 30_000);
});
