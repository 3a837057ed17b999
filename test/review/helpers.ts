/**
 * Helpers for the review tests: the `cos-inventory` emulator as a child process, a synthesized
 * stack planned by the real `terraform` (with the provider the stack directory carries), and a
 * reader of the rendered Markdown tables so assertions can go cell by cell.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

import { App, LocalBackend, TerraformStack } from 'cdktf';

import { startEmulatorProcess } from '../kit';
import { RealTerraform } from '../terraform/real-terraform';

/** A running `cos-inventory emulator` child process. */
export interface EmulatorProcess {
  readonly endpoint: string;
  readonly secretId: string;
  readonly secretKey: string;
  stop(): Promise<void>;
}

/**
 * Starts `cos-inventory emulator --port 0 --lag-ms 0` with the buckets. No read-after-write lag:
 * the review tests read the endpoint's state right after an apply, and a read inside the lag
 * window would see the state before the apply's last write (the lag is tested where it is
 * waited out: the handler's read-back tests and the real-terraform tests).
 */
export async function startEmulatorCli(buckets: readonly string[]): Promise<EmulatorProcess> {
  const started = await startEmulatorProcess([
    '--port',
    '0',
    '--lag-ms',
    '0',
    ...buckets.flatMap((b) => ['--bucket', b]),
  ]);
  return {
    endpoint: started.endpoint,
    secretId: started.env.TENCENTCLOUD_SECRET_ID,
    secretKey: started.env.TENCENTCLOUD_SECRET_KEY,
    stop: async () => {
      await started.stop('SIGTERM');
    },
  };
}

/** One cdktf stack in its own directory, synthesized again at each step and planned for real. */
export class PlannedStack {
  readonly stackDir: string;
  readonly terraform: RealTerraform;
  private initialised = false;

  constructor(
    readonly dir: string,
    readonly name: string,
    emulator: EmulatorProcess,
  ) {
    this.stackDir = path.join(dir, 'cdktf.out', 'stacks', name);
    this.terraform = new RealTerraform(this.stackDir, path.join(dir, 'terraform'), {
      ...process.env,
      TENCENTCLOUD_SECRET_ID: emulator.secretId,
      TENCENTCLOUD_SECRET_KEY: emulator.secretKey,
      COS_INVENTORY_ENDPOINT: emulator.endpoint,
    });
  }

  /** `app.synth()` of the declaration; returns the synthesized configuration. */
  synth(declare: (stack: TerraformStack) => void): Record<string, unknown> {
    const app = new App({ outdir: path.join(this.dir, 'cdktf.out') });
    const stack = new TerraformStack(app, this.name);
    new LocalBackend(stack, { path: path.join(this.dir, 'terraform', 'terraform.tfstate') });
    declare(stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(this.stackDir, 'cdk.tf.json'), 'utf8')) as Record<
      string,
      unknown
    >;
  }

  /** `terraform plan [extra] -out=...` and `terraform show -json`, written to `<dir>/<file>`. */
  async plan(file: string, extra: readonly string[] = []): Promise<string> {
    if (!this.initialised) {
      await this.terraform.init();
      this.initialised = true;
    }
    const planFile = path.join(this.dir, 'terraform', `${file}.tfplan`);
    await this.terraform.run(['plan', ...extra, `-out=${planFile}`, '-input=false', '-no-color']);
    const json = await this.terraform.run(['show', '-json', planFile]);
    const target = path.join(this.dir, file);
    fs.writeFileSync(target, json);
    return target;
  }

  /** `terraform apply` of a plan file made by {@link plan}. */
  apply(file: string): Promise<string> {
    const planFile = path.join(this.dir, 'terraform', `${file}.tfplan`);
    return this.terraform.run(['apply', '-auto-approve', '-input=false', '-no-color', planFile]);
  }
}

/** A code span of any fence length, as renderMarkdown writes it. */
const CODE_SPAN = /(`+) ?(.*?) ?\1/g;

/** Cell text: code spans unwrapped, `\|` unescaped; `<br>` splits a cell into lines. */
function cellLines(cell: string): string[] {
  return cell
    .split('<br>')
    .map((line) => line.trim().replace(/\\\|/g, '|').replace(CODE_SPAN, '$2'))
    .filter((line) => line !== '');
}

/** The rows of the first table after `heading` (a line starting with it), as cells of lines. */
export function markdownTable(markdown: string, heading: string): string[][][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start < 0) throw new Error(`no heading ${JSON.stringify(heading)} in:\n${markdown}`);
  const first = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const rows: string[][][] = [];
  for (let i = first + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const cells = lines[i]
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map(cellLines);
    rows.push(cells);
  }
  return rows;
}

/** Rows of a job table keyed by job id: `{ action, changes }`. */
export function jobTable(
  markdown: string,
  bucketHeading: string,
): Record<string, { action: string; changes: string[] }> {
  return Object.fromEntries(
    markdownTable(markdown, bucketHeading).map(([id, action, changes]) => [
      id[0],
      { action: action[0].replace(/\*\*/g, ''), changes },
    ]),
  );
}

/** The bullet lines under `### Consequences`, code spans unwrapped. */
export function consequenceLines(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('### Consequences');
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('- '); i++) {
    out.push(lines[i].slice(2).replace(CODE_SPAN, '$2'));
  }
  return out;
}

/** The summary line (the bold line), code spans unwrapped. */
export function summaryOf(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.startsWith('**'));
  if (line === undefined) throw new Error(`no summary line in:\n${markdown}`);
  return line.replace(/^\*\*|\*\*$/g, '').replace(CODE_SPAN, '$2');
}
