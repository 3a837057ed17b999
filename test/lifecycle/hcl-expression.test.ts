import {
  evaluate,
  EvaluationError,
  HclSyntaxError,
  jsonencode,
  parseExpression,
  parseTemplate,
  referencePaths,
  Unknown,
  type JsonValue,
  type Scope,
} from './harness';

const self = {
  input: {
    bucket: 'source-1250000000',
    region: 'ap-guangzhou',
    id: 'daily',
    ids: ['a', 'b'],
    configuration: { Id: 'daily', Filter: { Prefix: 'logs/<&>' }, IsEnabled: 'true' },
  },
};
const scope: Scope = { self, path: { module: '.' } };
const template = (src: string, s: Scope = scope): unknown => evaluate(parseTemplate(src), s, 'test');

describe('HCL templates as cdktf emits them', () => {
  it('evaluates the construct provisioner expression to Terraform jsonencode output', () => {
    const out = template(
      '${jsonencode({bucket = self.input.bucket, region = self.input.region, configuration = self.input.configuration})}',
    );
    // Keys sorted lexically, no whitespace, <, > and & escaped as Go does.
    expect(out).toBe(
      '{"bucket":"source-1250000000","configuration":{"Filter":{"Prefix":"logs/\\u003c\\u0026\\u003e"},"Id":"daily","IsEnabled":"true"},"region":"ap-guangzhou"}',
    );
    expect(JSON.parse(out as string).configuration.Filter.Prefix).toBe('logs/<&>');
  });

  it('mixes literal tuples of quoted strings with self traversals', () => {
    const out = template(
      '${jsonencode({previous = self.input.ids, desired = ["b","c\\"q"], n = 1, t = true})}',
    );
    expect(out).toBe('{"desired":["b","c\\"q"],"n":1,"previous":["a","b"],"t":true}');
  });

  it('returns the raw value of a lone interpolation and concatenates otherwise', () => {
    expect(template('${self.input.ids}')).toEqual(['a', 'b']);
    expect(template('${self.input.ids[1]}')).toBe('b');
    expect(template('id=${self.input.id}, first=${self.input.ids.0}')).toBe('id=daily, first=a');
    expect(template('plain text')).toBe('plain text');
    expect(template('')).toBe('');
  });

  it('keeps $${ and %%{ escapes literal', () => {
    expect(template('cost $${HOME} and %%{if}')).toBe('cost ${HOME} and %{if}');
    expect(template('${"in a string $${x}"}')).toBe('in a string ${x}');
  });

  it('treats backslashes literally outside quotes and as escapes inside them', () => {
    expect(template('a\\nb')).toBe('a\\nb');
    expect(template('${"a\\nb\\u0041"}')).toBe('a\nbA');
  });

  it('accepts newline-separated and colon object items, and trailing commas', () => {
    expect(template('${jsonencode({\n  a = "1"\n  "b": 2,\n})}')).toBe('{"a":"1","b":2}');
    expect(template('${jsonencode(["x",\n"y",])}')).toBe('["x","y"]');
  });

  it('compares with == and != and combines with && and ||', () => {
    const data: Scope = { data: { external: { r: { result: { in_sync: 'true', undeclared: '' } } } } };
    expect(template('${data.external.r.result.in_sync == "true"}', data)).toBe(true);
    expect(template('${data.external.r.result.undeclared != ""}', data)).toBe(false);
    expect(
      template(
        '${data.external.r.result.in_sync == "true" && data.external.r.result.undeclared == ""}',
        data,
      ),
    ).toBe(true);
    expect(template('${!(1 == 2) || false}', data)).toBe(true);
    // Types matter: a string is never equal to a number.
    expect(template('${"1" == 1}', data)).toBe(false);
  });

  it('propagates unknown values', () => {
    const out = template('${jsonencode(terraform_data.x.output)}', {
      terraform_data: { x: new Unknown('pending') } as unknown as JsonValue,
    });
    expect(out).toBeInstanceOf(Unknown);
  });

  it('lists the references an expression makes', () => {
    const expr = parseTemplate(
      '${jsonencode({a = terraform_data.job.output.id, b = self.input.x[0]})} ${path.module}',
    );
    expect(referencePaths(expr)).toEqual([
      ['terraform_data', 'job', 'output', 'id'],
      ['self', 'input', 'x', '0'],
      ['path', 'module'],
    ]);
    expect(referencePaths(parseExpression('terraform_data.policy'))).toEqual([['terraform_data', 'policy']]);
    expect(referencePaths(parseExpression('self.input.ids[terraform_data.n.output]'))).toEqual([
      ['self', 'input', 'ids'],
      ['terraform_data', 'n', 'output'],
    ]);
  });
});

describe('HCL syntax the harness refuses', () => {
  it.each([
    ['%{ if true }x%{ endif }', /unsupported template directive/],
    ['${~ self.input.id}', /unsupported template strip marker/],
    ['${self.input.id ~}', /unsupported template strip marker/],
    ['${true ? "a" : "b"}', /unsupported conditional expression/],
    ['${1 + 2}', /unsupported operator "\+"/],
    ['${[for x in self.input.ids : x]}', /unsupported "for" expression/],
    ['${self.input.ids[*]}', /unsupported splat expression/],
    ['${<<EOT\nx\nEOT\n}', /unsupported heredoc/],
    ['${self.input.id', /expected "}" to close the interpolation/],
    ['${"unterminated}', /unterminated string literal|newline|expected/],
    ['${"\\q"}', /invalid escape sequence/],
    ['${jsonencode(x...)}', /unsupported argument expansion/],
  ])('rejects %j', (src, message) => {
    expect(() => parseTemplate(src)).toThrow(HclSyntaxError);
    expect(() => parseTemplate(src)).toThrow(message);
  });

  it('rejects unknown functions, references and attributes when evaluating', () => {
    expect(() => template('${upper(self.input.id)}')).toThrow(/unsupported function "upper"/);
    expect(() => template('${var.region}')).toThrow(EvaluationError);
    expect(() => template('${var.region}')).toThrow(
      /unsupported reference to "var"; available here: path, self/,
    );
    expect(() => template('${self.input.nope}')).toThrow(/unsupported attribute "nope"/);
    expect(() => template('${self.input.ids[5]}')).toThrow(/invalid index 5/);
  });

  it('refuses to interpolate null or structured values into a longer string', () => {
    expect(() => template('x${null}', {})).toThrow(/expression result is null/);
    expect(() => template('x${self.input.ids}')).toThrow(/cannot include a tuple value in a string template/);
    expect(() => template('${1 && true}', {})).toThrow(/needs bool operands/);
  });
});

describe('jsonencode', () => {
  it('sorts keys bytewise and escapes U+2028 and U+2029', () => {
    expect(jsonencode({ b: 1, B: 2, a: [null, false, 'x\u2028y'] })).toBe(
      '{"B":2,"a":[null,false,"x\\u2028y"],"b":1}',
    );
  });
});
