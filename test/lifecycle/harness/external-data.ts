/**
 * hashicorp/external's data source: runs `program` without a shell (argv as given), with
 * the query as a JSON object of strings on stdin and Terraform's working directory as the
 * default working directory; stdout must be one flat JSON object of strings.
 */

import * as path from 'node:path';

import { EvaluationError, evaluateJson, type Scope } from './hcl-evaluate';
import { runProcess } from './run-process';
import type { ExternalDataConfig } from './tf-config';
import { isObject, typeName, Unknown, type JsonValue, type Value } from './values';

export interface ExternalRead {
  readonly address: string;
  readonly program: readonly string[];
  readonly query: Readonly<Record<string, string>>;
  /** The program's answer, when it ran and answered correctly. */
  readonly result: Readonly<Record<string, string>> | undefined;
  /** The provider's diagnostic (summary: detail) when the read failed. */
  readonly error: string | undefined;
}

export async function readExternal(
  data: ExternalDataConfig,
  context: { readonly scope: Scope; readonly stackDir: string; readonly baseEnv: NodeJS.ProcessEnv },
): Promise<ExternalRead> {
  const where = data.address;
  let program: string[] = [];
  let query: Record<string, string> = {};
  let workingDir = context.stackDir;
  try {
    const p = evaluateJson(data.program, context.scope, `${where}.program`);
    if (!Array.isArray(p) || p.some((v) => typeof v !== 'string')) {
      throw new EvaluationError(`${where}.program: expected a list of strings, got ${typeName(p)}`);
    }
    program = p as string[];
    if (data.query !== undefined)
      query = stringMap(evaluateJson(data.query, context.scope, `${where}.query`), where);
    if (data.workingDir !== undefined) {
      const dir = evaluateJson(data.workingDir, context.scope, `${where}.working_dir`);
      if (typeof dir !== 'string') throw new EvaluationError(`${where}.working_dir: expected a string`);
      if (dir !== '') workingDir = path.resolve(context.stackDir, dir);
    }
  } catch (error) {
    return { address: where, program, query, result: undefined, error: (error as Error).message };
  }
  const fail = (error: string): ExternalRead => ({
    address: where,
    program,
    query,
    result: undefined,
    error,
  });
  if (program.length === 0) {
    return fail('External Program Missing: the data source was configured without a program to execute');
  }
  const run = await runProcess(program, {
    cwd: workingDir,
    env: context.baseEnv,
    stdin: JSON.stringify(query),
  });
  if (run.spawnError !== undefined) {
    return fail(`External Program Lookup Failed: ${run.spawnError}`);
  }
  if (run.exitCode !== 0) {
    const state = run.signal ? `signal: ${run.signal}` : `exit status ${run.exitCode}`;
    return fail(
      `External Program Execution Failed: the data source received an unexpected error while attempting to execute the program.\n\nProgram: ${program[0]}\nError Message: ${run.stderr}\nState: ${state}`,
    );
  }
  const parsed = parseResult(run.stdout);
  if (typeof parsed === 'string') {
    return fail(
      `Unexpected External Program Results: the data source received unexpected results after executing the program.\n\nProgram output must be a JSON encoded map of string keys and string values.\n\nProgram: ${program[0]}\nResult Error: ${parsed}`,
    );
  }
  return { address: where, program, query, result: parsed, error: undefined };
}

/** Decodes like Go's json.Unmarshal into map[string]string; a string return is the error. */
function parseResult(stdout: string): Record<string, string> | string {
  let value: JsonValue;
  try {
    value = JSON.parse(stdout) as JsonValue;
  } catch (error) {
    return (error as Error).message;
  }
  if (value === null) return {};
  if (!isObject(value))
    return `json: cannot unmarshal ${goType(value)} into Go value of type map[string]string`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) out[k] = '';
    else if (typeof v !== 'string') return `json: cannot unmarshal ${goType(v)} into Go value of type string`;
    else out[k] = v;
  }
  return out;
}

function goType(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object' && v !== null) return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** `query` is map(string): numbers and bools convert to strings, anything else fails. */
function stringMap(value: Value, where: string): Record<string, string> {
  if (value instanceof Unknown) throw new EvaluationError(`${where}.query: value is unknown`);
  if (!isObject(value))
    throw new EvaluationError(`${where}.query: expected a map of strings, got ${typeName(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new EvaluationError(`${where}.query: element "${k}": string required, got ${typeName(v)}`);
  }
  return out;
}
