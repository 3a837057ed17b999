/**
 * Evaluates parsed HCL expressions against a scope of named values, following Terraform's
 * rules for the constructs the parser accepts.
 */

import type { Expr } from './hcl-ast';
import { parseTemplate } from './hcl-parser';
import { deepEqual, isObject, jsonencode, typeName, Unknown, type JsonValue, type Value } from './values';

/** Root names visible to an expression, e.g. `self`, `path`, `terraform_data`, `data`. */
export type Scope = Readonly<Record<string, Value>>;

export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/** Evaluates one expression; `where` names the attribute for error messages. */
export function evaluate(expr: Expr, scope: Scope, where: string): Value {
  const fail = (message: string): never => {
    throw new EvaluationError(`${where}: ${message}`);
  };
  const ev = (e: Expr): Value => {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'template': {
        if (e.parts.length === 1 && typeof e.parts[0] !== 'string') return ev(e.parts[0]);
        let out = '';
        for (const part of e.parts) {
          if (typeof part === 'string') {
            out += part;
            continue;
          }
          const v = ev(part);
          if (v instanceof Unknown) return v;
          out += templateString(v, fail);
        }
        return out;
      }
      case 'variable':
        if (!(e.name in scope)) {
          return fail(
            `unsupported reference to "${e.name}"; available here: ${Object.keys(scope).sort().join(', ') || 'none'}`,
          );
        }
        return scope[e.name];
      case 'getattr': {
        const target = ev(e.target);
        if (target instanceof Unknown) return target;
        if (!isObject(target))
          return fail(`cannot read attribute "${e.name}" of a ${typeName(target)} value`);
        if (!(e.name in target)) {
          return fail(
            `unsupported attribute "${e.name}"; the object has: ${Object.keys(target).sort().join(', ') || 'nothing'}`,
          );
        }
        return target[e.name];
      }
      case 'index': {
        const target = ev(e.target);
        const key = ev(e.key);
        if (target instanceof Unknown) return target;
        if (key instanceof Unknown) return key;
        if (Array.isArray(target)) {
          if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key >= target.length) {
            return fail(`invalid index ${JSON.stringify(key)} for a tuple of ${target.length} elements`);
          }
          return target[key];
        }
        if (isObject(target)) {
          const name = typeof key === 'number' ? String(key) : key;
          if (typeof name !== 'string' || !(name in target))
            return fail(`invalid key ${JSON.stringify(key)}`);
          return target[name];
        }
        return fail(`cannot index a ${typeName(target)} value`);
      }
      case 'call':
        // `try` evaluates its arguments in order and yields the first without an error.
        if (e.name === 'try') {
          if (e.args.length === 0) return fail('function "try" needs at least one argument');
          const errors: string[] = [];
          for (const arg of e.args) {
            try {
              return ev(arg);
            } catch (error) {
              if (!(error instanceof EvaluationError)) throw error;
              errors.push(error.message);
            }
          }
          return fail(`no expression of "try" succeeded: ${errors.join('; ')}`);
        }
        return callFunction(
          e.name,
          e.args.map((a) => ev(a)),
          fail,
        );
      case 'object': {
        const out: Record<string, JsonValue> = {};
        for (const item of e.items) {
          const key = ev(item.key);
          if (key instanceof Unknown) return key;
          if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
            return fail(`object key must be a string, got ${typeName(key)}`);
          }
          const value = ev(item.value);
          if (value instanceof Unknown) return value;
          out[String(key)] = value;
        }
        return out;
      }
      case 'tuple': {
        const out: JsonValue[] = [];
        for (const item of e.items) {
          const value = ev(item);
          if (value instanceof Unknown) return value;
          out.push(value);
        }
        return out;
      }
      case 'binary': {
        const left = ev(e.left);
        const right = ev(e.right);
        if (left instanceof Unknown) return left;
        if (right instanceof Unknown) return right;
        if (e.op === '==' || e.op === '!=') return deepEqual(left, right) === (e.op === '==');
        if (typeof left !== 'boolean' || typeof right !== 'boolean') {
          return fail(`operator "${e.op}" needs bool operands, got ${typeName(left)} and ${typeName(right)}`);
        }
        return e.op === '&&' ? left && right : left || right;
      }
      case 'not': {
        const operand = ev(e.operand);
        if (operand instanceof Unknown) return operand;
        if (typeof operand !== 'boolean')
          return fail(`operator "!" needs a bool operand, got ${typeName(operand)}`);
        return !operand;
      }
    }
  };
  return ev(expr);
}

/**
 * Evaluates a Terraform JSON value: every string is a template, object keys included
 * (HCL's JSON syntax), other JSON values are literal.
 */
export function evaluateJson(value: JsonValue, scope: Scope, where: string): Value {
  if (typeof value === 'string') return evaluate(parseTemplate(value), scope, where);
  if (Array.isArray(value)) {
    const out: JsonValue[] = [];
    for (const [i, item] of value.entries()) {
      const v = evaluateJson(item, scope, `${where}[${i}]`);
      if (v instanceof Unknown) return v;
      out.push(v);
    }
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, item] of Object.entries(value)) {
      const key = evaluate(parseTemplate(k), scope, `${where} key ${JSON.stringify(k)}`);
      if (key instanceof Unknown) return key;
      if (typeof key !== 'string') throw new EvaluationError(`${where}: object key must be a string`);
      const v = evaluateJson(item, scope, `${where}.${k}`);
      if (v instanceof Unknown) return v;
      out[key] = v;
    }
    return out;
  }
  return value;
}

function templateString(v: JsonValue, fail: (m: string) => never): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return fail('invalid template interpolation value: the expression result is null');
  return fail(`cannot include a ${typeName(v)} value in a string template: string required`);
}

function callFunction(name: string, args: Value[], fail: (m: string) => never): Value {
  const unknown = args.find((a): a is Unknown => a instanceof Unknown);
  const one = (): JsonValue => {
    if (args.length !== 1) fail(`function "${name}" takes 1 argument, got ${args.length}`);
    return args[0] as JsonValue;
  };
  switch (name) {
    case 'jsonencode': {
      const arg = one();
      return unknown ?? jsonencode(arg);
    }
    case 'jsondecode': {
      const arg = one();
      if (unknown) return unknown;
      if (typeof arg !== 'string') return fail(`jsondecode needs a string, got ${typeName(arg)}`);
      try {
        return JSON.parse(arg) as JsonValue;
      } catch (error) {
        return fail(`jsondecode: ${(error as Error).message}`);
      }
    }
    default:
      return fail(
        `unsupported function "${name}"; the harness evaluates jsonencode, jsondecode and try only`,
      );
  }
}
