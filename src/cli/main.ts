#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerDriftCommand } from './drift-command';
import { registerEmulatorCommand } from './emulator-command';
import { registerImportCommand } from './import-command';
import { refuseRepeatedOptions } from './repeated-options';
import { registerReportCommand } from './report-command';
import { registerReviewCommand } from './review-command';
import { registerRunCommand } from './run-command';
import { registerStatusCommand } from './status-command';

// src/cli/main.ts and lib/cli/main.js both sit two levels below the package root.
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

const program = new Command('cos-inventory')
  .description(
    'tencent cloud cos bucket inventory: a local cos endpoint, one-time runs, report reading, import of existing jobs, delivery status, plan review and drift',
  )
  .version(packageVersion());

registerEmulatorCommand(program);
registerReportCommand(program);
registerRunCommand(program);
registerImportCommand(program);
registerStatusCommand(program);
registerReviewCommand(program);
registerDriftCommand(program);
refuseRepeatedOptions(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`cos-inventory: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
