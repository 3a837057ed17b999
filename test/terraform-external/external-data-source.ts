/**
 * The `external` data source of `hashicorp/external`, as its documentation describes it
 * (registry.terraform.io/providers/hashicorp/external, data source `external`): `program`
 * runs without a shell, `query` arrives on its stdin as a JSON object of strings, its stdout
 * must be one JSON object of strings (`result`), and a non-zero exit is an error that carries
 * its stderr. Diagnostic summaries are the real provider's, so output reads the same.
 *
 * Test-only: the stand-in that lets real Terraform evaluate the construct's drift check on
 * machines that cannot download the provider. Left out: the real provider's fallback of running
 * a program not found on PATH through `$SHELL -i -c` (an undocumented workaround of its own).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import {
  attributePath,
  ctyString,
  errorDiagnostic,
  isUnknown,
  listOf,
  mapOf,
  type DataSourceDefinition,
  type Diagnostic,
  type TfObject,
  type TfValue,
} from '../../src/tfplugin';

const PROGRAM = attributePath('program');

function strings(value: TfValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Like a POSIX exec lookup: a name with a slash is taken as a path, others are searched on PATH. */
export function findExecutable(program: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (program.includes('/')) return isExecutableFile(program) ? program : undefined;
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory === '' ? '.' : directory, program);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(
  executable: string,
  args: readonly string[],
  cwd: string | undefined,
  input: string,
): Promise<Finished> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(executable, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A program that exits without reading its input must not fail the read with EPIPE.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolveRun({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
    child.stdin.end(input);
  });
}

/**
 * The result object, or why the output is not one flat JSON object of strings. Like the real
 * provider (which decodes into a Go map of strings), `null` reads as an empty object and a
 * `null` value as an empty string.
 */
export function parseResult(stdout: string): { result: Record<string, string> } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (parsed === null) return { result: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return {
      problem: `expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`,
    };
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value !== null && typeof value !== 'string') {
      return { problem: `value of ${JSON.stringify(key)} is ${JSON.stringify(value)}, expected a string` };
    }
    result[key] = value ?? '';
  }
  return { result };
}

function validate(config: TfObject): Diagnostic[] {
  const program = config.program;
  if (Array.isArray(program) && program.length === 0) {
    return [
      errorDiagnostic(
        'Invalid Attribute Value',
        'Attribute program list must contain at least 1 elements, got: 0',
        PROGRAM,
      ),
    ];
  }
  return [];
}

async function read(config: TfObject): Promise<{ state?: TfObject; diagnostics?: Diagnostic[] }> {
  const program = strings(config.program).filter((argument) => argument !== '');
  if (program.length === 0) {
    return {
      diagnostics: [
        errorDiagnostic(
          'External Program Missing',
          'program has no non-empty element: give the program to run as its first element',
          PROGRAM,
        ),
      ],
    };
  }
  const query: Record<string, string> = {};
  if (config.query !== null && typeof config.query === 'object' && !isUnknown(config.query)) {
    for (const [key, value] of Object.entries(config.query as TfObject)) {
      // Null elements are left out, as the real provider does.
      if (typeof value === 'string') query[key] = value;
    }
  }
  const executable = findExecutable(program[0]);
  if (executable === undefined) {
    return {
      diagnostics: [
        errorDiagnostic(
          'External Program Lookup Failed',
          `program ${JSON.stringify(program[0])} is not an executable file` +
            (program[0].includes('/') ? '' : ' in any directory of PATH') +
            `\n\nPlatform: ${process.platform}\nProgram: ${program[0]}`,
          PROGRAM,
        ),
      ],
    };
  }
  const workingDir =
    typeof config.working_dir === 'string' && config.working_dir !== '' ? config.working_dir : undefined;
  const shown = isAbsolute(executable) ? executable : resolve(executable);
  let finished: Finished;
  try {
    finished = await run(executable, program.slice(1), workingDir, JSON.stringify(query));
  } catch (error) {
    return {
      diagnostics: [
        errorDiagnostic(
          'External Program Execution Failed',
          `the program could not be started\n\nProgram: ${shown}\nError Message: ${(error as Error).message}`,
          PROGRAM,
        ),
      ],
    };
  }
  if (finished.code !== 0) {
    const state = finished.signal !== null ? `signal: ${finished.signal}` : `exit status ${finished.code}`;
    const message =
      finished.stderr.length > 0
        ? `the program failed\n\nProgram: ${shown}\nError Message: ${finished.stderr}\nState: ${state}`
        : `the program failed and wrote nothing to stderr\n\nProgram: ${shown}\nState: ${state}`;
    return { diagnostics: [errorDiagnostic('External Program Execution Failed', message, PROGRAM)] };
  }
  const parsed = parseResult(finished.stdout);
  if ('problem' in parsed) {
    return {
      diagnostics: [
        errorDiagnostic(
          'Unexpected External Program Results',
          `the program's output must be a JSON object of string keys and string values\n\nProgram: ${shown}\nResult Error: ${parsed.problem}`,
          PROGRAM,
        ),
      ],
    };
  }
  return { state: { ...config, result: parsed.result, id: '-' } };
}

export const externalDataSource: DataSourceDefinition = {
  schema: {
    block: {
      description: 'Runs a program and reads its stdout, one JSON object of strings, as `result`.',
      attributes: {
        program: {
          type: listOf(ctyString),
          required: true,
          description: 'The program and its arguments, run without a shell.',
        },
        working_dir: { type: ctyString, optional: true, description: 'Working directory of the program.' },
        query: {
          type: mapOf(ctyString),
          optional: true,
          description: 'Strings passed to the program as one JSON object on its stdin.',
        },
        result: { type: mapOf(ctyString), computed: true, description: 'The program output.' },
        id: { type: ctyString, computed: true, description: 'Always `-`.' },
      },
    },
  },
  validate,
  read,
};
