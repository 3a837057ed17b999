/**
 * Recursive-descent parser for the HCL templates and expressions in cdktf's Terraform JSON.
 * Supported: template literals with `${...}` interpolations and `$${`/`%%{` escapes, string
 * literals (with escapes and nested interpolations), numbers, true/false/null, variables
 * with `.attr`/`[index]` traversals, function calls, object constructors (`=` or `:`, comma
 * or newline separated), tuples, `==`, `!=`, `&&`, `||`, `!`. Everything else (directives,
 * strip markers, heredocs, conditionals, arithmetic, for expressions, splats) is rejected
 * so that a construct change emitting new syntax fails loudly instead of being misread.
 */

import type { Expr } from './hcl-ast';
import { Lexer, type Token } from './hcl-lexer';

/**
 * Parses a string of Terraform JSON syntax as a template ("bare" mode: backslashes are
 * literal because JSON already decoded them).
 */
export function parseTemplate(src: string): Expr {
  return templateBody(new Lexer(src), 'bare');
}

/** Parses a lone expression (as in `depends_on` entries or tests). */
export function parseExpression(src: string): Expr {
  const lexer = new Lexer(src);
  const expr = expression(lexer);
  const end = lexer.peek();
  if (end.kind !== 'eof') lexer.fail(`unexpected ${describe(end)} after the expression`, end.pos);
  return expr;
}

function templateBody(lexer: Lexer, mode: 'bare' | 'quoted'): Expr {
  lexer.assertNoLookahead();
  const src = lexer.src;
  const parts: (string | Expr)[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push(text);
    text = '';
  };
  for (;;) {
    const pos = lexer.pos;
    if (pos >= src.length) {
      if (mode === 'quoted') lexer.fail('unterminated string literal', pos);
      break;
    }
    const c = src[pos];
    if (mode === 'quoted' && c === '"') {
      lexer.pos++;
      break;
    }
    if (src.startsWith('$${', pos)) {
      text += '${';
      lexer.pos += 3;
    } else if (src.startsWith('%%{', pos)) {
      text += '%{';
      lexer.pos += 3;
    } else if (src.startsWith('${', pos)) {
      lexer.pos += 2;
      if (src[lexer.pos] === '~') lexer.fail('unsupported template strip marker "${~"', pos);
      flush();
      parts.push(expression(lexer));
      const close = lexer.next();
      if (close.kind === 'punct' && close.text === '~')
        lexer.fail('unsupported template strip marker "~}"', close.pos);
      if (close.kind !== 'punct' || close.text !== '}') {
        lexer.fail(`expected "}" to close the interpolation, found ${describe(close)}`, close.pos);
      }
    } else if (src.startsWith('%{', pos)) {
      lexer.fail('unsupported template directive "%{"', pos);
    } else if (mode === 'quoted' && c === '\n') {
      lexer.fail('newline in a quoted string literal', pos);
    } else if (mode === 'quoted' && c === '\\') {
      text += escapeSequence(lexer);
    } else {
      text += c;
      lexer.pos++;
    }
  }
  flush();
  if (parts.length === 0) return { kind: 'literal', value: '' };
  if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: parts[0] };
  return { kind: 'template', parts };
}

function escapeSequence(lexer: Lexer): string {
  const src = lexer.src;
  const pos = lexer.pos;
  const c = src[pos + 1];
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
  if (c !== undefined && c in simple) {
    lexer.pos += 2;
    return simple[c];
  }
  if (c === 'u' || c === 'U') {
    const digits = c === 'u' ? 4 : 8;
    const hex = src.slice(pos + 2, pos + 2 + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) lexer.fail(`invalid \\${c} escape`, pos);
    lexer.pos += 2 + digits;
    return String.fromCodePoint(parseInt(hex, 16));
  }
  lexer.fail(`invalid escape sequence "\\${c ?? ''}"`, pos);
}

function expression(lexer: Lexer): Expr {
  const expr = orExpr(lexer);
  const after = lexer.peek(true);
  if (after.kind === 'punct' && after.text === '?')
    lexer.fail('unsupported conditional expression "? :"', after.pos);
  if (after.kind === 'punct' && ['+', '-', '*', '/', '%', '<', '>', '<=', '>='].includes(after.text)) {
    lexer.fail(`unsupported operator "${after.text}"`, after.pos);
  }
  return expr;
}

function orExpr(lexer: Lexer): Expr {
  let left = andExpr(lexer);
  while (isPunct(lexer.peek(true), '||')) {
    lexer.next();
    left = { kind: 'binary', op: '||', left, right: andExpr(lexer) };
  }
  return left;
}

function andExpr(lexer: Lexer): Expr {
  let left = equality(lexer);
  while (isPunct(lexer.peek(true), '&&')) {
    lexer.next();
    left = { kind: 'binary', op: '&&', left, right: equality(lexer) };
  }
  return left;
}

function equality(lexer: Lexer): Expr {
  let left = unary(lexer);
  for (;;) {
    // Newlines end an expression (they separate object items), so look without skipping them.
    const t = lexer.peek(true);
    if (!isPunct(t, '==') && !isPunct(t, '!=')) return left;
    lexer.next();
    left = { kind: 'binary', op: t.text as '==' | '!=', left, right: unary(lexer) };
  }
}

function unary(lexer: Lexer): Expr {
  const t = lexer.peek();
  if (isPunct(t, '!')) {
    lexer.next();
    return { kind: 'not', operand: unary(lexer) };
  }
  if (isPunct(t, '-')) {
    lexer.next();
    const n = lexer.next();
    if (n.kind !== 'number') lexer.fail('unsupported unary "-" on a non-number', t.pos);
    return { kind: 'literal', value: -Number(n.text) };
  }
  return postfix(lexer, primary(lexer));
}

function postfix(lexer: Lexer, target: Expr): Expr {
  for (;;) {
    const t = lexer.peek(true);
    if (isPunct(t, '.')) {
      lexer.next(true);
      const name = lexer.next();
      if (name.kind === 'ident') target = { kind: 'getattr', target, name: name.text };
      else if (name.kind === 'number' && /^[0-9]+$/.test(name.text)) {
        target = { kind: 'index', target, key: { kind: 'literal', value: Number(name.text) } };
      } else if (isPunct(name, '*')) lexer.fail('unsupported splat expression ".*"', name.pos);
      else lexer.fail(`expected an attribute name after ".", found ${describe(name)}`, name.pos);
    } else if (isPunct(t, '[')) {
      lexer.next(true);
      if (isPunct(lexer.peek(), '*')) lexer.fail('unsupported splat expression "[*]"', t.pos);
      const key = expression(lexer);
      expect(lexer, ']');
      target = { kind: 'index', target, key };
    } else {
      return target;
    }
  }
}

function primary(lexer: Lexer): Expr {
  const t = lexer.next();
  switch (t.kind) {
    case 'number':
      return { kind: 'literal', value: Number(t.text) };
    case 'quote':
      return templateBody(lexer, 'quoted');
    case 'heredoc':
      return lexer.fail('unsupported heredoc template "<<"', t.pos);
    case 'ident':
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
      if (t.text === 'null') return { kind: 'literal', value: null };
      if (isPunct(lexer.peek(true), '(')) return call(lexer, t);
      return { kind: 'variable', name: t.text, pos: t.pos };
    case 'punct':
      if (t.text === '(') {
        const inner = expression(lexer);
        expect(lexer, ')');
        return inner;
      }
      if (t.text === '[') return tuple(lexer);
      if (t.text === '{') return object(lexer);
      return lexer.fail(`unexpected ${describe(t)}`, t.pos);
    default:
      return lexer.fail(`unexpected ${describe(t)}`, t.pos);
  }
}

function call(lexer: Lexer, name: Token): Expr {
  lexer.next();
  const args: Expr[] = [];
  if (!isPunct(lexer.peek(), ')')) {
    for (;;) {
      args.push(expression(lexer));
      const sep = lexer.next();
      if (isPunct(sep, ')')) break;
      if (isPunct(sep, '...')) lexer.fail('unsupported argument expansion "..."', sep.pos);
      if (!isPunct(sep, ',')) lexer.fail(`expected "," or ")" in the arguments of ${name.text}`, sep.pos);
      if (isPunct(lexer.peek(), ')')) {
        lexer.next();
        break;
      }
    }
  } else {
    lexer.next();
  }
  return { kind: 'call', name: name.text, args, pos: name.pos };
}

function tuple(lexer: Lexer): Expr {
  const items: Expr[] = [];
  rejectFor(lexer);
  for (;;) {
    if (isPunct(lexer.peek(), ']')) {
      lexer.next();
      return { kind: 'tuple', items };
    }
    items.push(expression(lexer));
    const sep = lexer.peek();
    if (isPunct(sep, ',')) lexer.next();
    else if (!isPunct(sep, ']'))
      lexer.fail(`expected "," or "]" in a tuple, found ${describe(sep)}`, sep.pos);
  }
}

function object(lexer: Lexer): Expr {
  const items: { key: Expr; value: Expr }[] = [];
  rejectFor(lexer);
  for (;;) {
    const first = lexer.peek();
    if (isPunct(first, '}')) {
      lexer.next();
      return { kind: 'object', items };
    }
    let key: Expr;
    if (first.kind === 'ident') {
      // A bare identifier key is the literal attribute name, as in HCL.
      lexer.next();
      key = { kind: 'literal', value: first.text };
    } else {
      key = expression(lexer);
    }
    const eq = lexer.next();
    if (!isPunct(eq, '=') && !isPunct(eq, ':')) {
      lexer.fail(`expected "=" or ":" after an object key, found ${describe(eq)}`, eq.pos);
    }
    const value = expression(lexer);
    items.push({ key, value });
    const sep = lexer.peek(true);
    if (isPunct(sep, ',') || sep.kind === 'newline') lexer.next(true);
    else if (!isPunct(sep, '}'))
      lexer.fail(`expected ",", a newline or "}" in an object, found ${describe(sep)}`, sep.pos);
  }
}

function rejectFor(lexer: Lexer): void {
  const t = lexer.peek();
  if (t.kind === 'ident' && t.text === 'for') {
    const src = lexer.src.slice(t.pos + 3);
    if (/^\s+[A-Za-z_][A-Za-z0-9_-]*\s*(,|in\b)/.test(src)) lexer.fail('unsupported "for" expression', t.pos);
  }
}

function expect(lexer: Lexer, text: string): void {
  const t = lexer.next();
  if (!isPunct(t, text)) lexer.fail(`expected "${text}", found ${describe(t)}`, t.pos);
}

function isPunct(t: Token, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the expression';
  if (t.kind === 'newline') return 'a newline';
  return JSON.stringify(t.text);
}
