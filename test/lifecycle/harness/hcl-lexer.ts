/**
 * Tokenizer for the HCL expression syntax found inside `${ ... }` in Terraform JSON
 * configuration. Template text (outside interpolations, and inside quoted strings) is
 * scanned by the parser directly from `src`/`pos`, because HCL switches between template
 * and expression modes as it goes.
 */

export type TokenKind = 'ident' | 'number' | 'quote' | 'heredoc' | 'punct' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
}

/** Longest first, so `==` wins over `=`. */
const PUNCTUATION = [
  '...',
  '==',
  '!=',
  '&&',
  '||',
  '<=',
  '>=',
  '=>',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  '.',
  '=',
  ':',
  '?',
  '!',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
];

export class HclSyntaxError extends Error {
  constructor(message: string, src: string, pos: number) {
    super(`hcl: ${message} at offset ${pos} in ${JSON.stringify(src)}`);
    this.name = 'HclSyntaxError';
  }
}

export class Lexer {
  pos: number;
  private cached: Token | undefined;

  constructor(
    readonly src: string,
    start = 0,
  ) {
    this.pos = start;
  }

  /** The next token; newlines are returned only when `keepNewlines` is set. */
  peek(keepNewlines = false): Token {
    for (;;) {
      if (this.cached === undefined) this.cached = this.scan();
      if (this.cached.kind === 'newline' && !keepNewlines) {
        this.cached = undefined;
        continue;
      }
      return this.cached;
    }
  }

  next(keepNewlines = false): Token {
    const token = this.peek(keepNewlines);
    this.cached = undefined;
    return token;
  }

  /** Raw access for template scanning: only valid when no token is buffered. */
  assertNoLookahead(): void {
    if (this.cached !== undefined) {
      throw new HclSyntaxError('internal: template scan with a buffered token', this.src, this.pos);
    }
  }

  fail(message: string, pos = this.pos): never {
    throw new HclSyntaxError(message, this.src, pos);
  }

  private scan(): Token {
    const src = this.src;
    for (;;) {
      const c = src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
      } else if (c === '#' || (c === '/' && src[this.pos + 1] === '/')) {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && src[this.pos + 1] === '*') {
        const end = src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else {
        break;
      }
    }
    const start = this.pos;
    if (start >= src.length) return { kind: 'eof', text: '', pos: start };
    const c = src[start];
    if (c === '\n') {
      this.pos++;
      return { kind: 'newline', text: '\n', pos: start };
    }
    if (c === '"') {
      this.pos++;
      return { kind: 'quote', text: '"', pos: start };
    }
    if (src.startsWith('<<', start)) {
      this.pos += 2;
      return { kind: 'heredoc', text: '<<', pos: start };
    }
    if (/[A-Za-z_]/.test(c)) {
      let end = start + 1;
      while (end < src.length && /[A-Za-z0-9_-]/.test(src[end])) end++;
      this.pos = end;
      return { kind: 'ident', text: src.slice(start, end), pos: start };
    }
    if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(start));
      const text = match ? match[0] : c;
      this.pos = start + text.length;
      return { kind: 'number', text, pos: start };
    }
    for (const p of PUNCTUATION) {
      if (src.startsWith(p, start)) {
        this.pos += p.length;
        return { kind: 'punct', text: p, pos: start };
      }
    }
    this.fail(`unexpected character ${JSON.stringify(c)}`, start);
  }
}
