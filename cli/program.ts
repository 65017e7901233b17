import { Command, CommanderError, Option } from 'commander';
import {
  InputError,
  InvalidParameterError,
  VpceGuardError,
} from '../rules/model/errors.js';
import { type InvokeOptions, invoke } from './commands/invoke.js';
import {
  REPORT_FORMATS,
  type ReportOptions,
  report,
} from './commands/report.js';
import { explainRule, listRules } from './commands/rules.js';
import { FORMATS, type ScanOptions, scan } from './commands/scan.js';
import { type SnapshotOptions, snapshot } from './commands/snapshot.js';
import { type CliIo, ExitCode } from './io.js';
import { packageVersion } from './version.js';

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Maps an error to its exit status, printing one line on stderr. Commander
 * has already printed its own usage errors.
 */
const reportError = (error: unknown, io: CliIo, debug: boolean): number => {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? ExitCode.CLEAN : ExitCode.BAD_INPUT;
  }
  if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
  if (error instanceof InputError || error instanceof InvalidParameterError) {
    io.stderr.write(`vpce-guard: ${oneLine(error.message)}\n`);
    return ExitCode.BAD_INPUT;
  }
  if (error instanceof VpceGuardError) {
    io.stderr.write(`vpce-guard: ${oneLine(error.message)}\n`);
    return ExitCode.FAILED;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    `vpce-guard: internal error: ${oneLine(message)} (set VPCE_GUARD_DEBUG=1 for the stack)\n`
  );
  return ExitCode.FAILED;
};

/** Adds `scan`: the rules over snapshot files, live account-Regions or a whole organization. */
const addScanCommand = (
  program: Command,
  io: CliIo,
  setStatus: (status: number) => void
): void => {
  program
    .command('scan')
    .description(
      'Evaluate the rules over snapshot files, live account-Regions or a whole organization, and print a report.'
    )
    .option(
      '--snapshot <files...>',
      'snapshot files (see README: Snapshot format)'
    )
    .option('--region <regions...>', 'scan live accounts in these Regions')
    .option(
      '--profile <profile>',
      'AWS profile for --region (default: the standard chain)'
    )
    .option('--role-arn <arns...>', 'roles to assume, one per account to scan')
    .option(
      '--organization',
      'scan every ACTIVE account of your AWS Organization (with --regions and --role-name)'
    )
    .option(
      '--regions <regions...>',
      'with --organization: the Regions to scan in every account'
    )
    .option(
      '--role-name <name>',
      'with --organization: the role to assume in each account'
    )
    .option(
      '--concurrency <n>',
      'with --organization: account-Regions loaded at once (default 8)'
    )
    .option(
      '--exclude-accounts <ids...>',
      'with --organization: account ids not to scan'
    )
    .option('--rules <ids>', 'comma-separated rule ids to run (default: all)')
    .option(
      '--rule-params <file>',
      'JSON object: rule id → Config InputParameters'
    )
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(FORMATS)
        .default('table')
    )
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--exit-zero', 'exit 0 even when something is NON_COMPLIANT')
    .option(
      '--runbook-base-url <url>',
      "where the repository is published: asff and ocsf findings link to rules/<id>/runbook.md under it (default: the console page of the rule's SSM document); the html report adds a link to each published runbook"
    )
    .action(async (options: ScanOptions) => setStatus(await scan(options, io)));
};

/** Adds `report`: the organization's results from an AWS Config aggregator. */
const addReportCommand = (
  program: Command,
  io: CliIo,
  setStatus: (status: number) => void
): void => {
  program
    .command('report')
    .description(
      "Print vpce-guard's results for a whole organization from an AWS Config aggregator."
    )
    .requiredOption('--aggregator <name>', 'the configuration aggregator')
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(REPORT_FORMATS)
        .default('table')
    )
    .option(
      '--region <region>',
      "the aggregator's Region (default: the standard chain)"
    )
    .option('--profile <profile>', 'AWS profile (default: the standard chain)')
    .option('--output <file>', 'write the report to a file instead of stdout')
    .option('--exit-zero', 'exit 0 even when something is NON_COMPLIANT')
    .option(
      '--runbook-base-url <url>',
      'where the repository is published (failures link to rules/<id>/runbook.md under it), for --format html'
    )
    .action(async (options: ReportOptions) =>
      setStatus(await report(options, io))
    );
};

/** Adds `snapshot`: a snapshot file from a live account. */
const addSnapshotCommand = (
  program: Command,
  io: CliIo,
  setStatus: (status: number) => void
): void => {
  program
    .command('snapshot')
    .description('Write a snapshot file from a live account.')
    .requiredOption('--region <regions...>', 'Regions to read')
    .option('--profile <profile>', 'AWS profile (default: the standard chain)')
    .option('--role-arn <arn>', 'role to assume first')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (options: SnapshotOptions) =>
      setStatus(await snapshot(options, io))
    );
};

/** Adds `invoke`: the Lambda handler on a Config event, locally. */
const addInvokeCommand = (
  program: Command,
  io: CliIo,
  setStatus: (status: number) => void
): void => {
  program
    .command('invoke')
    .description(
      'Run the Lambda handler locally on a Config event; print what it sent.'
    )
    .requiredOption(
      '--rule <id>',
      'rule id (the function deployed for that rule)'
    )
    .requiredOption(
      '--event <file>',
      'a Config invocation event (see examples/events/)'
    )
    .option('--output <file>', 'write to a file instead of stdout')
    .option(
      '--import-findings',
      'import the findings into Security Hub even for a TESTMODE event (which imports nothing otherwise)'
    )
    .option(
      '--previous <file>',
      'an earlier scan --format json: say how many evaluations the delta would skip'
    )
    .action(async (options: InvokeOptions) =>
      setStatus(await invoke(options, io))
    );
};

/** Adds `rules`: the rules and their parameters, or one rule's reference. */
const addRulesCommand = (
  program: Command,
  io: CliIo,
  setStatus: (status: number) => void
): void => {
  program
    .command('rules')
    .description(
      'List the rules, their parameters and defaults, or explain one rule.'
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json'])
        .default('text')
    )
    .addOption(
      new Option(
        '--explain <id>',
        "print the rule's reference (rules/<id>/README.md)"
      ).conflicts('format')
    )
    .action((options: { format: 'text' | 'json'; explain?: string }) =>
      setStatus(
        options.explain === undefined
          ? listRules(options.format, io)
          : explainRule(options.explain, io)
      )
    );
};

const buildProgram = (
  io: CliIo,
  setStatus: (status: number) => void
): Command => {
  const program = new Command('vpce-guard')
    .description(
      'VPC-endpoint compliance scanner: the vpce-guard Config rules, run locally.'
    )
    .version(packageVersion())
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  addScanCommand(program, io, setStatus);
  addReportCommand(program, io, setStatus);
  addSnapshotCommand(program, io, setStatus);
  addInvokeCommand(program, io, setStatus);
  addRulesCommand(program, io, setStatus);
  return program;
};

/**
 * Runs `vpce-guard` with `argv` (without node and script) and returns the
 * exit status: 0 clean, 1 something NON_COMPLIANT, 2 bad input or usage,
 * 3 the scan could not complete.
 */
const run = async (
  argv: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>> = {}
): Promise<number> => {
  let status: number = ExitCode.CLEAN;
  const program = buildProgram(io, (s) => {
    status = s;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    return reportError(error, io, env.VPCE_GUARD_DEBUG === '1');
  }
};

export { run };
