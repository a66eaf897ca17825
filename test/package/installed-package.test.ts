import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintWorkflowText } from '../../scripts/lint-workflow-files.ts';
import { flowgate } from '../cli/run-cli.ts';

const exec = promisify(execFile);
const ROOT = process.cwd();

/**
 * The machine's own Node, not the project's Node 24 (node_modules/.bin, first on PATH under npm): the first `node`
 * on PATH outside node_modules, or FLOWGATE_TEST_NODE (to try another, e.g. Node 22 from `npm install node@22`).
 */
function machinePath(): { node: string; path: string } {
  const dirs = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d !== '' && !d.includes('node_modules'));
  const node = process.env.FLOWGATE_TEST_NODE ?? dirs.map((d) => join(d, 'node')).find((f) => existsSync(f));
  if (node === undefined) throw new Error('no node on PATH outside node_modules');
  return { node, path: [dirname(node), ...dirs].join(delimiter) };
}

const machine = machinePath();
const machineVersion = execFileSync(machine.node, ['--version'], { encoding: 'utf8' }).trim();
const env = {
  ...process.env,
  PATH: machine.path,
  npm_config_offline: 'true',
  npm_config_update_notifier: 'false',
};
let project = '';
let tarballFiles: string[] = [];

/** `npx flowgate ...` in the user's project, on the machine's Node. */
const npx = (args: string[]) =>
  exec('npx', ['--no', '--', 'flowgate', ...args], { cwd: project, env }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flowgate-package-'));
  const packed = await exec('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, env });
  // The prepack script (the bundle's build) prints before npm's JSON.
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (info === undefined) throw new Error('npm pack printed nothing');
  tarballFiles = info.files.map((f) => f.path);
  project = join(dir, 'project');
  await mkdir(project);
  await writeFile(join(project, 'package.json'), '{ "name": "a-team-repository", "private": true }\n');
  await exec('npm', ['install', '--no-audit', '--no-fund', join(dir, info.filename)], { cwd: project, env });
}, 180_000);

describe('the package npm pack makes, installed into an empty project on the machine’s Node', () => {
  it(`runs on the machine's Node (${machineVersion}), which needs no Node 24`, async () => {
    expect((await npx(['--version'])).stdout).toBe(
      `${JSON.parse(await readFile('package.json', 'utf8')).version}\n`,
    );
  });

  it('holds the bundle, the schema and the examples, and no sources or tests', () => {
    expect(tarballFiles).toContain('dist/cli/flowgate.mjs');
    expect(tarballFiles).toContain('schema/workflow.schema.json');
    expect(tarballFiles).toContain('workflows-examples/plan-implement-review-revise.yml');
    expect(tarballFiles).toContain('LICENSE');
    expect(tarballFiles.filter((f) => /^(src|test|action|scripts)\//.test(f))).toEqual([]);
  });

  it('installs no other package: everything the CLI needs is in the bundle', async () => {
    expect(await readdir(join(project, 'node_modules'))).toEqual(['.bin', '.package-lock.json', 'flowgate']);
  });

  it.each([
    ['validate', ['validate', 'node_modules/flowgate/workflows-examples']],
    ['validate of broken files', ['validate', 'node_modules/flowgate/workflows-examples/scripts']],
    ['graph', ['graph', 'node_modules/flowgate/workflows-examples/two-models.yml', '--markdown']],
    ['schema', ['schema']],
    ['simulate', ['simulate', 'plan-implement-review-revise']],
    [
      'simulate with a script',
      [
        'simulate',
        'node_modules/flowgate/workflows-examples/triage-root-cause-fix.yml',
        '--script',
        'node_modules/flowgate/workflows-examples/scripts/triage-root-cause-fix.events.yml',
      ],
    ],
  ])('prints what it prints in this repository: %s', async (_name, args) => {
    const installed = await npx(args);
    const here = await flowgate(args, { cwd: project });
    expect(here.stdout.length).toBeGreaterThan(0);
    expect({
      code: 'code' in installed ? installed.code : 0,
      stdout: installed.stdout,
      stderr: installed.stderr,
    }).toEqual({
      code: here.code,
      stdout: here.stdout,
      stderr: here.stderr,
    });
  });

  it('sets a repository up with init, and what it writes validates and passes actionlint', async () => {
    await exec('git', ['init', '--quiet'], { cwd: project });
    const init = await npx([
      'init',
      '--mode',
      'action',
      '--workflow',
      'plan-implement-review-revise',
      '--yes',
    ]);
    expect(init.stderr).toContain('wrote .github/workflows/flowgate.yml');
    expect(init.stderr).toContain('wrote .github/workflows/flowgate-validate.yml');
    expect((await npx(['validate'])).stdout).toBe('1 workflow file checked: valid (0 errors, 0 warnings)\n');
    for (const actions of ['.github/workflows/flowgate.yml', '.github/workflows/flowgate-validate.yml']) {
      expect(await lintWorkflowText(await readFile(join(project, actions), 'utf8'), actions)).toEqual([]);
    }
  });
});
