/**
 * The local-exec provisioner as Terraform runs it: the command through the interpreter
 * (default `/bin/sh -c`), in Terraform's working directory (the stack directory) unless
 * `working_dir` says otherwise, with `environment` entries over the inherited environment.
 */

import * as path from 'node:path';

import { EvaluationError, evaluateJson, type Scope } from './hcl-evaluate';
import { runProcess } from './run-process';
import type { ProvisionerConfig } from './tf-config';
import { isObject, typeName, Unknown, type Value } from './values';

/** local-exec keeps only the tail of the output for its error message. */
const OUTPUT_TAIL_BYTES = 8 * 1024;

export interface ProvisionerRun {
  readonly address: string;
  readonly when: 'create' | 'destroy';
  readonly command: string;
  readonly interpreter: readonly string[];
  readonly workingDir: string;
  /** Only the entries the configuration sets (never the inherited environment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly exitCode: number | null;
  readonly output: string;
  readonly ok: boolean;
  /** Terraform's error text when the provisioner failed. */
  readonly error: string | undefined;
}

export async function runLocalExec(
  provisioner: ProvisionerConfig,
  context: {
    readonly address: string;
    readonly scope: Scope;
    readonly stackDir: string;
    readonly baseEnv: NodeJS.ProcessEnv;
  },
): Promise<ProvisionerRun> {
  const where = `${context.address} provisioner "local-exec" (${provisioner.when})`;
  let command = '';
  let interpreter: string[] = ['/bin/sh', '-c'];
  let workingDir = context.stackDir;
  let environment: Record<string, string> = {};
  try {
    command = asString(
      evaluateJson(provisioner.command, context.scope, `${where} command`),
      `${where} command`,
    );
    if (provisioner.interpreter !== undefined) {
      const value = evaluateJson(provisioner.interpreter, context.scope, `${where} interpreter`);
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
        throw new EvaluationError(`${where} interpreter: expected a non-empty list of strings`);
      }
      interpreter = value as string[];
    }
    if (provisioner.workingDir !== undefined) {
      const dir = asString(
        evaluateJson(provisioner.workingDir, context.scope, `${where} working_dir`),
        where,
      );
      workingDir = path.resolve(context.stackDir, dir);
    }
    if (provisioner.environment !== undefined) {
      environment = stringMap(
        evaluateJson(provisioner.environment, context.scope, `${where} environment`),
        where,
      );
    }
  } catch (error) {
    const message = (error as Error).message;
    return { ...base(), exitCode: null, output: '', ok: false, error: message };
  }
  function base(): Omit<ProvisionerRun, 'exitCode' | 'output' | 'ok' | 'error'> {
    return {
      address: context.address,
      when: provisioner.when,
      command,
      interpreter,
      workingDir,
      environment,
    };
  }
  const result = await runProcess([...interpreter, command], {
    cwd: workingDir,
    env: { ...context.baseEnv, ...environment },
  });
  const ok = result.exitCode === 0 && result.spawnError === undefined;
  let error: string | undefined;
  if (!ok) {
    const tail = Buffer.from(result.output, 'utf8');
    const output =
      tail.length > OUTPUT_TAIL_BYTES
        ? tail.subarray(tail.length - OUTPUT_TAIL_BYTES).toString()
        : result.output;
    const status =
      result.spawnError ?? (result.signal ? `signal: ${result.signal}` : `exit status ${result.exitCode}`);
    error = `local-exec provisioner error: Error running command '${command}': ${status}. Output: ${output}`;
  }
  return { ...base(), exitCode: result.exitCode, output: result.output, ok, error };
}

function asString(value: Value, where: string): string {
  if (value instanceof Unknown) throw new EvaluationError(`${where}: value is unknown during apply`);
  if (typeof value !== 'string')
    throw new EvaluationError(`${where}: expected a string, got ${typeName(value)}`);
  return value;
}

/** local-exec's `environment` is map(string): numbers and bools convert, others fail. */
function stringMap(value: Value, where: string): Record<string, string> {
  if (!isObject(value))
    throw new EvaluationError(`${where} environment: expected a map of strings, got ${typeName(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v instanceof Unknown)
      throw new EvaluationError(`${where} environment.${k}: value is unknown during apply`);
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new EvaluationError(`${where} environment.${k}: expected a string, got ${typeName(v)}`);
  }
  return out;
}
