import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CliIo, CliRun } from './cli-io';
import { registerDriftCommand } from './drift-command';
import { registerEmulatorCommand } from './emulator-command';
import { registerImportCommand } from './import-command';
import { refuseRepeatedOptions } from './repeated-options';
import { registerReportCommand } from './report-command';
import { registerReviewCommand } from './review-command';
import { registerRunCommand } from './run-command';
import { registerStatusCommand } from './status-command';

// src/cli/run-cli.ts and lib/cli/run-cli.js both sit two levels below the package root.
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * The whole `cos-inventory` program over `run.io`, every command registered and repeated
 * single-value flags refused. A fresh program per call: commander keeps parsed option values
 * on the command objects.
 */
export function createProgram(run: CliRun): Command {
  const { io } = run;
  const program = new Command('cos-inventory')
    .description(
      'tencent cloud cos bucket inventory: a local cos endpoint, one-time runs, report reading, import of existing jobs, delivery status, plan review and drift',
    )
    .version(packageVersion())
    // Usage errors, --help and --version come back as a CommanderError, never process.exit;
    // subcommands inherit both settings.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => (io.stdout.isTTY ? ((io.stdout as { columns?: number }).columns ?? 80) : 80),
      getErrHelpWidth: () => (io.stderr.isTTY ? ((io.stderr as { columns?: number }).columns ?? 80) : 80),
    });
  registerEmulatorCommand(program, run);
  registerReportCommand(program, run);
  registerRunCommand(program, run);
  registerImportCommand(program, run);
  registerStatusCommand(program, run);
  registerReviewCommand(program, run);
  registerDriftCommand(program, run);
  refuseRepeatedOptions(program);
  return program;
}

/**
 * `cos-inventory <argv>` as a function: `argv` without the node and script paths; returns the
 * exit status. Never calls `process.exit` and never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const run: CliRun = { io, exitCode: 0 };
  try {
    await createProgram(run).parseAsync([...argv], { from: 'user' });
    return run.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr.write(`cos-inventory: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
