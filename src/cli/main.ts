import { Command, CommanderError, Option } from 'commander';
import { demoCommand } from './commands/demo.ts';
import { graphCommand } from './commands/graph.ts';
import { importCommand } from './commands/import.ts';
import { initCommand } from './commands/init.ts';
import { keyCommand } from './commands/key.ts';
import { schemaCommand } from './commands/schema.ts';
import { simulateCommand } from './commands/simulate.ts';
import { DEFAULT_WORKFLOW_DIR, validateCommand } from './commands/validate.ts';
import { type CliIo, UsageError } from './io.ts';
import { packageInfo } from './package-info.ts';

/** Runs the `flowgate` command with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.stderr(`flowgate: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function buildProgram(io: CliIo, setCode: (code: number) => void): Command {
  const program = new Command('flowgate')
    .description('Check, draw and try multi-stage AI workflows with approval gates (.github/flowgate/*.yml).')
    .version(packageInfo().version, '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const validate = (
    paths: string[],
    opts: { format: 'text' | 'github'; strict?: boolean },
    strict: boolean,
  ) =>
    validateCommand(paths, { format: opts.format, strict: strict || opts.strict === true }, io).then(setCode);
  const formatOption = () =>
    new Option('--format <format>', 'text, or github for Actions annotations')
      .choices(['text', 'github'])
      .default('text');

  program
    .command('validate')
    .description(
      `Check workflow files: schema and lint (default: ${DEFAULT_WORKFLOW_DIR}). Exit 1 on errors.`,
    )
    .argument('[paths...]', 'workflow files or directories holding them')
    .addOption(formatOption())
    .option('--strict', 'treat warnings as errors')
    .action((paths: string[], opts) => validate(paths, opts, false));

  program
    .command('lint')
    .description('The same checks as validate, with warnings treated as errors.')
    .argument('[paths...]', 'workflow files or directories holding them')
    .addOption(formatOption())
    .action((paths: string[], opts) => validate(paths, opts, true));

  program
    .command('graph')
    .description('Print a workflow as a Mermaid flowchart.')
    .argument('<file>', 'a workflow file')
    .option('--markdown', 'wrap it in a ```mermaid block')
    .option('--current <stage>', 'highlight a stage')
    .action((file: string, opts: { markdown?: boolean; current?: string }) =>
      graphCommand(file, { markdown: opts.markdown === true, current: opts.current }, io).then(setCode),
    );

  program
    .command('key')
    .description(
      'State keys: `key generate` prints a new key pair; `key public` prints the public key of FLOWGATE_STATE_PRIVATE_KEY (or --key), for the Action.',
    )
    .argument('<action>', 'generate or public')
    .option('--key <private-key>', 'the private key (default: FLOWGATE_STATE_PRIVATE_KEY)')
    .action((action: string, opts: { key?: string }) => {
      if (action !== 'generate' && action !== 'public') {
        throw new UsageError(`key: unknown action "${action}"; use generate or public`);
      }
      setCode(keyCommand(action, opts.key ?? io.env.FLOWGATE_STATE_PRIVATE_KEY, io));
    });

  program
    .command('schema')
    .description('Print the JSON Schema of workflow files (for editors and other validators).')
    .action(() => setCode(schemaCommand(io)));

  program
    .command('import')
    .description("Bring another workflow's stages, and the providers they use, into a workflow file.")
    .argument('<source>', 'the workflow file to take stages from')
    .argument('<target>', 'the workflow file to add them to (rewritten in place, comments kept)')
    .addOption(
      new Option(
        '--on-conflict <mode>',
        'a stage id the target already has: merge overwrites it, copy imports it as <id>-1',
      )
        .choices(['merge', 'copy'])
        .default('copy'),
    )
    .option('--stages <ids>', 'only these source stages, comma-separated', (value: string) =>
      value.split(','),
    )
    .option('--dry-run', 'print the result instead of writing the target')
    .action(
      (
        source: string,
        target: string,
        opts: { onConflict: 'merge' | 'copy'; stages?: string[]; dryRun?: boolean },
      ) =>
        importCommand(
          source,
          target,
          { onConflict: opts.onConflict, stages: opts.stages, dryRun: opts.dryRun === true },
          io,
        ).then(setCode),
    );

  program
    .command('simulate')
    .description(
      'Run a workflow offline as it runs on GitHub (an in-memory GitHub, the real reconcile and Action steps), with simulated models and people; no GitHub account, no API key.',
    )
    .argument('<workflow>', 'a workflow file, or the name of a bundled example')
    .option(
      '--script <file>',
      'the events to play (docs/simulate.md); default: a maintainer approves every gate',
    )
    .option('--quiet', 'print only the final status line')
    .option('--status-comment', 'print the final status comment, as the run would leave it on GitHub')
    .option(
      '--html <file>',
      'write the issue as GitHub would show it at the end (comments, labels, check runs)',
    )
    .action(
      (file: string, opts: { script?: string; quiet?: boolean; statusComment?: boolean; html?: string }) =>
        simulateCommand(
          file,
          {
            script: opts.script,
            quiet: opts.quiet === true,
            statusComment: opts.statusComment === true,
            ...(opts.html === undefined ? {} : { html: opts.html }),
          },
          io,
        ).then(setCode),
    );

  program
    .command('init')
    .description(
      'Set flowgate up in this repository: a workflow in .github/flowgate/ and the Actions workflow(s) to run it.',
    )
    .addOption(
      new Option('--mode <mode>', 'app: with the GitHub App; action: the Action alone').choices([
        'action',
        'app',
      ]),
    )
    .option(
      '--workflow <name>',
      'the example to start from (workflows-examples/), e.g. plan-implement-review-revise',
    )
    .option('--action <ref>', 'the Action to reference: <owner>/flowgate/action@<full commit sha>')
    .option('-y, --yes', 'ask nothing: take the defaults for what the flags leave out')
    .option('--force', 'overwrite files that exist and differ')
    .option('--dry-run', 'print the files instead of writing them')
    .action(
      (opts: {
        mode?: string;
        workflow?: string;
        action?: string;
        yes?: boolean;
        force?: boolean;
        dryRun?: boolean;
      }) =>
        initCommand(
          {
            mode: opts.mode,
            workflow: opts.workflow,
            action: opts.action,
            yes: opts.yes === true,
            force: opts.force === true,
            dryRun: opts.dryRun === true,
          },
          io,
        ).then(setCode),
    );

  program
    .command('demo')
    .description('A local tour of the bundled example workflows; needs no GitHub account and no API key.')
    .action(() => demoCommand(io).then(setCode));

  return program;
}
