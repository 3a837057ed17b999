import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { parsePlanJson, PlanFormatError, type TerraformPlan } from '../review/plan-json';
import { renderMarkdown } from '../review/render-markdown';
import { renderText } from '../review/render-text';
import { reviewPlans } from '../review/review';
import { EXIT_FAILURE, EXIT_USAGE, exitTwoOnUsageError } from './cos-options';
import type { CliIo, CliRun } from './cli-io';

export const REVIEW_FORMATS = ['markdown', 'text', 'json'] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

interface ReviewFlags {
  readonly format: ReviewFormat;
}

const STDIN = '-';

/**
 * `cos-inventory review [PLAN_JSON...]`: what a Terraform plan does to inventory jobs and
 * destination grants, for a pull-request comment. Several files (one per cdktf stack) are
 * reviewed together; no file or `-` reads stdin.
 */
export function registerReviewCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('review')
    .description(
      'summarise what a terraform plan does to inventory jobs and destination grants, for pull-request review',
    )
    .argument(
      '[PLAN_JSON...]',
      'output of `terraform show -json PLANFILE`, one per stack; none or - reads stdin',
    )
    .addOption(
      new Option(
        '--format <format>',
        'markdown for a pull-request comment, text for a terminal, json for scripts',
      )
        .choices(REVIEW_FORMATS)
        .default('markdown'),
    )
    .addHelpText(
      'after',
      '\nExample: terraform plan -out=plan.tfplan && terraform show -json plan.tfplan | cos-inventory review\n' +
        'Exit status: 0 review printed (whatever the plan changes), 1 input unreadable or not a terraform plan json ' +
        'of format 1.x, 2 bad arguments or no input.',
    )
    .action(async (files: string[], flags: ReviewFlags) => {
      cli.exitCode = await review(files, flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function review(files: readonly string[], flags: ReviewFlags, io: CliIo): Promise<number> {
  const sources = files.length === 0 ? [STDIN] : files;
  if (sources.filter((s) => s === STDIN).length > 1) {
    io.stderr.write('cos-inventory review: stdin (-) given more than once: expected it at most once\n');
    return EXIT_USAGE;
  }
  if (files.length === 0 && io.stdin.isTTY) {
    io.stderr.write(
      'cos-inventory review: no PLAN_JSON given and stdin is a terminal: expected a file or ' +
        '`terraform show -json PLANFILE | cos-inventory review`\n',
    );
    return EXIT_USAGE;
  }
  const plans: { label: string; plan: TerraformPlan }[] = [];
  for (const source of sources) {
    const label = source === STDIN ? 'stdin' : source;
    let text: string;
    try {
      text =
        source === STDIN
          ? await readStdin(io.stdin)
          : await readFile(resolve(io.cwd ?? process.cwd(), source), 'utf8');
    } catch (error) {
      io.stderr.write(`cos-inventory review: ${label}: cannot read: ${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
    try {
      plans.push({ label, plan: parsePlanJson(text, label) });
    } catch (error) {
      if (!(error instanceof PlanFormatError)) throw error;
      io.stderr.write(`cos-inventory review: ${error.message}\n`);
      return EXIT_FAILURE;
    }
  }
  const result = reviewPlans(plans);
  io.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : flags.format === 'text'
        ? renderText(result)
        : renderMarkdown(result),
  );
  return 0;
}
