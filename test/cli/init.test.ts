import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWorkflowText } from '../../scripts/lint-workflow-files.ts';
import { flowgate } from './run-cli.ts';
import { workspace } from './workspace.ts';

const EXAMPLES = (await readdir('workflows-examples'))
  .filter((n) => n.endsWith('.yml'))
  .map((n) => n.slice(0, -4));

async function actionsFindings(dir: string): Promise<string[]> {
  const findings: string[] = [];
  for (const name of await readdir(join(dir, '.github/workflows'))) {
    const path = `.github/workflows/${name}`;
    for (const f of await lintWorkflowText(await readFile(join(dir, path), 'utf8'), path)) {
      findings.push(`${f.file}:${f.line}:${f.column}: ${f.message}`);
    }
  }
  return findings;
}

describe('flowgate init', () => {
  describe('with --mode action --workflow plan-implement-review-revise --yes in an empty repository', () => {
    it('writes the workflow with the schema modeline, the schema and the app-less Actions workflow', async () => {
      const dir = await workspace({});
      const run = await flowgate(
        ['init', '--mode', 'action', '--workflow', 'plan-implement-review-revise', '--yes'],
        {
          cwd: dir,
        },
      );
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('wrote .github/flowgate/feature.yml\n');
      const workflow = await readFile(join(dir, '.github/flowgate/feature.yml'), 'utf8');
      expect(workflow.split('\n')[0]).toBe('# yaml-language-server: $schema=./workflow.schema.json');
      expect(existsSync(join(dir, '.github/flowgate/workflow.schema.json'))).toBe(true);
      const actions = await readFile(join(dir, '.github/workflows/flowgate.yml'), 'utf8');
      expect(actions).toContain('  issue_comment:\n');
      expect(actions).toMatch(/^ {8}uses: OWNER\/flowgate\/action@0{40} # v\d+\.\d+\.\d+$/m);
      expect(actions).toContain('\n    environment: flowgate\n');
      expect(actions).toContain(
        `\n          FLOWGATE_STATE_PRIVATE_KEY: \${{ secrets.FLOWGATE_STATE_PRIVATE_KEY }}\n`,
      );
      expect(existsSync(join(dir, '.github/workflows/flowgate-sweep.yml'))).toBe(false);
      // No app checks the workflow files on push: the validate workflow does, as in the examples.
      expect(await readFile(join(dir, '.github/workflows/flowgate-validate.yml'), 'utf8')).toBe(
        await readFile('workflows-examples/.github/workflows/flowgate-validate.yml', 'utf8'),
      );
      expect(run.stdout).toContain('require its check\n   "flowgate: workflow files"');
      expect((await flowgate(['validate'], { cwd: dir })).stdout).toBe(
        '1 workflow file checked: valid (0 errors, 0 warnings)\n',
      );
      expect(await actionsFindings(dir)).toEqual([]);
    });

    it('prints the gh commands for the secrets and the start label, and the labels flowgate manages', async () => {
      const run = await flowgate(['init', '--workflow', 'plan-implement-review-revise', '--yes'], {
        cwd: await workspace({}),
      });
      expect(run.stdout).toContain(
        '     gh api --method PUT "repos/{owner}/{repo}/environments/flowgate" -F "deployment_branch_policy[protected_branches]=false" -F "deployment_branch_policy[custom_branch_policies]=true"\n' +
          '     gh api --method POST "repos/{owner}/{repo}/environments/flowgate/deployment-branch-policies" -f name="$(gh repo view --json defaultBranchRef --jq .defaultBranchRef.name)"\n' +
          '     npx flowgate key generate    # prints a new key pair: FLOWGATE_STATE_PRIVATE_KEY=fgsk1_... and its public key\n' +
          '     gh secret set FLOWGATE_STATE_PRIVATE_KEY --env flowgate    # paste the fgsk1_... key when asked\n',
      );
      expect(run.stdout).not.toContain('gh variable set');
      expect(run.stdout).toContain(
        '     gh secret set ANTHROPIC_API_KEY    # provider writer; paste the key when asked\n',
      );
      expect(run.stdout).toContain(
        '     gh label create "flowgate:feature" --color 5319e7    # starts a run\n',
      );
      expect(run.stdout).toContain('"flowgate: awaiting approval"');
      expect(run.stdout).toContain('That is a placeholder: replace OWNER');
    });
  });

  describe('with --mode app', () => {
    it("passes the app's public key from a variable, and asks for no state secret", async () => {
      const dir = await workspace({});
      const run = await flowgate(['init', '--mode', 'app', '--workflow', 'plan-implement-review-revise'], {
        cwd: dir,
      });
      expect(run.stdout).toContain(
        '     gh variable set FLOWGATE_STATE_PUBLIC_KEY --body "$(npx flowgate key public)"    # where the app\'s FLOWGATE_STATE_PRIVATE_KEY is set\n',
      );
      expect(run.stdout).toContain('     gh variable set FLOWGATE_STATE_PUBLIC_KEY --body fgpk1_...\n');
      expect(run.stdout).not.toMatch(/gh secret set FLOWGATE_|environments\/flowgate/);
      const actions = await readFile(join(dir, '.github/workflows/flowgate.yml'), 'utf8');
      expect(actions).toContain(
        `\n          FLOWGATE_STATE_PUBLIC_KEY: \${{ vars.FLOWGATE_STATE_PUBLIC_KEY }}\n`,
      );
      expect(actions).not.toMatch(/FLOWGATE_STATE_PRIVATE_KEY:|environment:/);
      // The app checks the workflow files itself.
      expect(existsSync(join(dir, '.github/workflows/flowgate-validate.yml'))).toBe(false);
    });
  });

  describe.each(EXAMPLES)('for the example %s', (example) => {
    it.each(['action', 'app'])('in %s mode writes files that validate and pass actionlint', async (mode) => {
      const dir = await workspace({});
      const run = await flowgate(['init', '--mode', mode, '--workflow', example], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      const validated = await flowgate(['validate', '--strict'], { cwd: dir });
      expect(validated.stdout).toContain('checked: valid');
      expect(await actionsFindings(dir)).toEqual([]);
    });

    it.each(['action', 'app'])('in %s mode never names the old shared FLOWGATE_STATE_KEY', async (mode) => {
      const run = await flowgate(['init', '--mode', mode, '--workflow', example, '--dry-run'], {
        cwd: await workspace({}),
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toMatch(/FLOWGATE_STATE_KEY\b/);
    });
  });

  describe('for a workflow with on.schedule', () => {
    it('writes the sweep job on the same cron line, passing only the keys its providers read', async () => {
      const dir = await workspace({});
      await flowgate(['init', '--mode', 'app', '--workflow', 'scheduled-content-pipeline'], { cwd: dir });
      const sweep = await readFile(join(dir, '.github/workflows/flowgate-sweep.yml'), 'utf8');
      expect(sweep).toContain('  schedule:\n    - cron: "0 2 * * *"\n');
      const secrets = [...sweep.matchAll(/^ {10}([A-Z_]+): \$\{\{ secrets\.\1 \}\}$/gm)].map((m) => m[1]);
      expect(secrets).toEqual([
        'FLOWGATE_STATE_PRIVATE_KEY',
        'OPENAI_API_KEY',
        'ANTHROPIC_API_KEY',
        'GOOGLE_GENERATIVE_AI_API_KEY',
      ]);
      const app = await readFile(join(dir, '.github/workflows/flowgate.yml'), 'utf8');
      expect(app).toContain('on:\n  workflow_dispatch:\n');
    });

    it("with the app, signs the sweep with a key of its own that the app accepts, and verifies the app's runs", async () => {
      const dir = await workspace({});
      const run = await flowgate(['init', '--mode', 'app', '--workflow', 'scheduled-content-pipeline'], {
        cwd: dir,
      });
      const sweep = await readFile(join(dir, '.github/workflows/flowgate-sweep.yml'), 'utf8');
      expect(sweep).toContain('\n    environment: flowgate\n');
      expect(sweep).toContain(
        `\n          FLOWGATE_STATE_PUBLIC_KEY: \${{ vars.FLOWGATE_STATE_PUBLIC_KEY }}\n`,
      );
      expect(run.stdout).toContain('gh variable set FLOWGATE_STATE_PUBLIC_KEY');
      expect(run.stdout).toContain('     gh secret set FLOWGATE_STATE_PRIVATE_KEY --env flowgate');
      expect(run.stdout).toContain("to the app's FLOWGATE_STATE_PREVIOUS_PUBLIC_KEYS");
    });

    it('with the Action alone, signs the sweep with the same environment key and no app key', async () => {
      const dir = await workspace({});
      const run = await flowgate(['init', '--mode', 'action', '--workflow', 'scheduled-content-pipeline'], {
        cwd: dir,
      });
      const sweep = await readFile(join(dir, '.github/workflows/flowgate-sweep.yml'), 'utf8');
      expect(sweep).toContain('\n    environment: flowgate\n');
      expect(sweep).toContain(
        `\n          FLOWGATE_STATE_PRIVATE_KEY: \${{ secrets.FLOWGATE_STATE_PRIVATE_KEY }}\n          # Model keys`,
      );
      expect(sweep).not.toMatch(/PUBLIC_KEY|Beside the app/);
      expect(run.stdout).not.toMatch(/gh variable set|PREVIOUS_PUBLIC_KEYS/);
    });
  });

  describe('when a file exists with other content', () => {
    it('writes nothing, names the file, and exits 1', async () => {
      const dir = await workspace({ '.github/workflows/flowgate.yml': 'name: mine\n' });
      const run = await flowgate(['init', '--yes'], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'flowgate: .github/workflows/flowgate.yml exists and differs; --force overwrites it\n',
      );
      expect(existsSync(join(dir, '.github/flowgate/feature.yml'))).toBe(false);
      expect(await readFile(join(dir, '.github/workflows/flowgate.yml'), 'utf8')).toBe('name: mine\n');
    });

    it('overwrites it with --force', async () => {
      const dir = await workspace({ '.github/workflows/flowgate.yml': 'name: mine\n' });
      const run = await flowgate(['init', '--yes', '--force'], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('overwrote .github/workflows/flowgate.yml\n');
    });

    it('leaves a file with the same content alone, and says so', async () => {
      const dir = await workspace({});
      await flowgate(['init', '--yes'], { cwd: dir });
      const again = await flowgate(['init', '--yes'], { cwd: dir });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('unchanged .github/flowgate/feature.yml\n');
    });
  });

  describe('with --dry-run', () => {
    it('prints each file it would write and writes none', async () => {
      const dir = await workspace({});
      const run = await flowgate(['init', '--dry-run', '--workflow', 'fully-manual'], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        '--- .github/flowgate/manual.yml\n# yaml-language-server: $schema=./workflow.schema.json\n',
      );
      expect(run.stdout).toContain('--- .github/workflows/flowgate.yml\n');
      expect(existsSync(join(dir, '.github'))).toBe(false);
    });
  });

  describe('at a terminal', () => {
    it('asks for the mode and the workflow, by number', async () => {
      const dir = await workspace({});
      const number = EXAMPLES.sort().indexOf('fully-manual') + 1;
      const run = await flowgate(['init'], { cwd: dir, answers: ['app', String(number)] });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Run flowgate with the GitHub App (app), or with the Action alone');
      expect(run.stdout).toContain(`  ${number}. fully-manual\n`);
      expect(run.stderr).toContain('flowgate init: fully-manual (workflow "manual"), with the app\n');
    });
  });

  describe('with --action', () => {
    it('references the given commit', async () => {
      const dir = await workspace({});
      const sha = 'a'.repeat(40);
      await flowgate(['init', '--yes', '--action', `acme/flowgate/action@${sha} # v1.2.3`], { cwd: dir });
      const actions = await readFile(join(dir, '.github/workflows/flowgate.yml'), 'utf8');
      expect(actions).toContain(
        '      # The flowgate Action, pinned to the full commit of release v1.2.3. Never reference a branch or a\n' +
          '      # tag: whoever can move them decides what code runs next to your secrets.\n' +
          '      - name: Bring the issue or pull request forward\n' +
          `        uses: acme/flowgate/action@${sha} # v1.2.3\n`,
      );
      expect(actions).not.toContain('OWNER');
    });

    it('refuses a tag', async () => {
      const run = await flowgate(['init', '--yes', '--action', 'acme/flowgate/action@v1'], {
        cwd: await workspace({}),
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is not <owner>/<repo>/action@<full 40-character commit sha>');
    });
  });

  describe('with an unknown workflow', () => {
    it('names the examples and suggests the nearest', async () => {
      const run = await flowgate(['init', '--workflow', 'fully-manul'], { cwd: await workspace({}) });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('(did you mean "fully-manual"?)');
    });
  });
});

describe('flowgate --version', () => {
  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect((await flowgate(['--version'])).stdout).toBe(`${version}\n`);
  });
});
