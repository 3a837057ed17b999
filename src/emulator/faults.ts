import { FaultRule, Subresource } from './types';

/** What the server must do with a request a fault rule matched. */
export interface FaultAction {
  readonly delayMs: number;
  readonly drop: boolean;
  readonly error?: { readonly status: number; readonly code: string; readonly message: string };
}

/** The request attributes rules select on. */
export interface FaultTarget {
  readonly method: string;
  readonly subresource: Subresource;
  readonly bucket?: string;
  readonly key?: string;
  readonly id?: string;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'InvalidArgument',
  403: 'AccessDenied',
  404: 'NoSuchKey',
  409: 'OperationConflict',
  429: 'SlowDown',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

/** Checks a rule's shape; messages name the field, the value and what is allowed. */
export function checkFaultRule(rule: FaultRule): void {
  const { status, times, delayMs } = rule;
  if (status !== undefined && (!Number.isInteger(status) || status < 300 || status > 599)) {
    throw new Error(`injectFault: status ${status} is not allowed; use an integer from 300 to 599`);
  }
  if (times !== undefined && !(times === Infinity || (Number.isInteger(times) && times > 0))) {
    throw new Error(`injectFault: times ${times} is not allowed; use a positive integer or Infinity`);
  }
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new Error(`injectFault: delayMs ${delayMs} is not allowed; use a non-negative number`);
  }
  if (status === undefined && rule.code !== undefined) {
    throw new Error(`injectFault: code ${rule.code} needs a status`);
  }
  if (status === undefined && delayMs === undefined && rule.drop !== true) {
    throw new Error('injectFault: the rule does nothing; give status, delayMs or drop: true');
  }
  if (rule.drop === true && status !== undefined) {
    throw new Error('injectFault: drop and status exclude each other; a dropped connection sends no status');
  }
}

/** Fault rules in the order they were added; the first matching rule with uses left applies. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    checkFaultRule(rule);
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes one use of the first rule matching the request, if any. */
  take(target: FaultTarget): FaultAction | undefined {
    const active = this.rules.find((candidate) => candidate.remaining > 0 && matches(candidate.rule, target));
    if (active === undefined) return undefined;
    active.remaining -= 1;
    const { rule } = active;
    return {
      delayMs: rule.delayMs ?? 0,
      drop: rule.drop === true,
      error:
        rule.status === undefined
          ? undefined
          : {
              status: rule.status,
              code: rule.code ?? DEFAULT_CODES[rule.status] ?? 'InternalError',
              message: rule.message ?? 'injected fault',
            },
    };
  }
}

function matches(rule: FaultRule, target: FaultTarget): boolean {
  return (
    (rule.method === undefined || rule.method.toUpperCase() === target.method) &&
    // STS requests only meet rules that ask for them: a COS fault must not break the credential chain.
    (rule.subresource === undefined
      ? target.subresource !== 'sts'
      : rule.subresource === target.subresource) &&
    (rule.bucket === undefined || rule.bucket === target.bucket) &&
    (rule.key === undefined || rule.key === target.key) &&
    (rule.id === undefined || rule.id === target.id)
  );
}
