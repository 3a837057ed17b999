/**
 * `check` blocks: the scoped external data source is read, then each `assert` condition is
 * evaluated. Everything that goes wrong inside a check is a warning, never an error.
 */

import { evaluateJson, type Scope } from './hcl-evaluate';
import { readExternal, type ExternalRead } from './external-data';
import type { CheckConfig } from './tf-config';
import { Unknown, type JsonValue } from './values';

export interface CheckWarning {
  readonly summary: string;
  readonly detail: string;
}

export interface CheckResult {
  readonly name: string;
  /** pass: every assert held; fail: an assert failed; error: the data source or a condition failed; unknown: read deferred. */
  readonly status: 'pass' | 'fail' | 'error' | 'unknown';
  readonly warnings: readonly CheckWarning[];
  readonly reads: readonly ExternalRead[];
}

export interface CheckContext {
  readonly scope: Scope;
  readonly stackDir: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Addresses with changes not applied yet: a data source depending on one is deferred. */
  readonly pending: ReadonlySet<string>;
}

export async function evaluateCheck(check: CheckConfig, context: CheckContext): Promise<CheckResult> {
  const deferred = check.data.some((d) => d.dependencies.some((dep) => context.pending.has(dep)));
  if (deferred) return { name: check.name, status: 'unknown', warnings: [], reads: [] };
  const reads: ExternalRead[] = [];
  const warnings: CheckWarning[] = [];
  const external: Record<string, JsonValue> = {};
  for (const data of check.data) {
    const read = await readExternal(data, context);
    reads.push(read);
    if (read.result) {
      external[data.name] = {
        id: '-',
        program: [...read.program],
        query: { ...read.query },
        result: { ...read.result },
        working_dir: null,
      };
    } else {
      warnings.push({ summary: `check.${check.name}: ${data.address} failed`, detail: read.error ?? '' });
    }
  }
  if (warnings.length > 0) {
    // Terraform skips the assertions of a check whose data source failed.
    return { name: check.name, status: 'error', warnings, reads };
  }
  const scope: Scope = { ...context.scope, data: { external } };
  let status: CheckResult['status'] = 'pass';
  for (const [i, assertion] of check.asserts.entries()) {
    const where = `check.${check.name}.assert[${i}]`;
    let condition;
    try {
      condition = evaluateJson(assertion.condition, scope, `${where}.condition`);
    } catch (error) {
      warnings.push({ summary: `${where}: invalid condition`, detail: (error as Error).message });
      status = 'error';
      continue;
    }
    if (condition instanceof Unknown) {
      if (status === 'pass') status = 'unknown';
      continue;
    }
    if (typeof condition !== 'boolean') {
      warnings.push({
        summary: `${where}: invalid condition result`,
        detail: 'the condition must be true or false',
      });
      status = 'error';
      continue;
    }
    if (condition) continue;
    let detail: string;
    try {
      const message = evaluateJson(assertion.errorMessage, scope, `${where}.error_message`);
      detail = typeof message === 'string' ? message : JSON.stringify(message);
    } catch (error) {
      detail = `(error_message failed: ${(error as Error).message})`;
    }
    warnings.push({ summary: 'Check block assertion failed', detail });
    if (status !== 'error') status = 'fail';
  }
  return { name: check.name, status, warnings, reads };
}
