/** The subset of HCL expressions cdktf emits, as a tree. */

import type { JsonValue } from './values';

export type Expr =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  /** Template parts; a template of exactly one interpolation yields the raw value. */
  | { readonly kind: 'template'; readonly parts: readonly (string | Expr)[] }
  | { readonly kind: 'variable'; readonly name: string; readonly pos: number }
  | { readonly kind: 'getattr'; readonly target: Expr; readonly name: string }
  | { readonly kind: 'index'; readonly target: Expr; readonly key: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly pos: number }
  | { readonly kind: 'object'; readonly items: readonly { readonly key: Expr; readonly value: Expr }[] }
  | { readonly kind: 'tuple'; readonly items: readonly Expr[] }
  | {
      readonly kind: 'binary';
      readonly op: '==' | '!=' | '&&' | '||';
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: 'not'; readonly operand: Expr };

/**
 * A reference's static prefix, e.g. `terraform_data.job_a.output` -> ['terraform_data',
 * 'job_a', 'output']: what Terraform uses to build the dependency graph.
 */
export function referencePaths(expr: Expr): string[][] {
  const found: string[][] = [];
  const visit = (e: Expr): void => {
    const path = staticPath(e);
    if (path) {
      found.push(path);
      return;
    }
    switch (e.kind) {
      case 'template':
        e.parts.forEach((p) => typeof p !== 'string' && visit(p));
        break;
      case 'getattr':
        visit(e.target);
        break;
      case 'index':
        visit(e.target);
        visit(e.key);
        break;
      case 'call':
        e.args.forEach(visit);
        break;
      case 'object':
        e.items.forEach((i) => (visit(i.key), visit(i.value)));
        break;
      case 'tuple':
        e.items.forEach(visit);
        break;
      case 'binary':
        visit(e.left);
        visit(e.right);
        break;
      case 'not':
        visit(e.operand);
        break;
      default:
        break;
    }
  };
  visit(expr);
  return found;
}

function staticPath(e: Expr): string[] | undefined {
  if (e.kind === 'variable') return [e.name];
  if (e.kind === 'getattr') {
    const base = staticPath(e.target);
    return base ? [...base, e.name] : undefined;
  }
  if (e.kind === 'index') {
    const base = staticPath(e.target);
    if (base && e.key.kind === 'literal') return [...base, String(e.key.value)];
    // A computed index: let the caller visit the target and the key separately.
    return undefined;
  }
  return undefined;
}
