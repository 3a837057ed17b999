/**
 * The `external` stand-in's data source, called in process. Its programs are tiny shell
 * scripts (a few milliseconds each); real Terraform runs it in external.terraform.test.ts.
 */
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TfObject } from '../../src/tfplugin';
import { externalDataSource, findExecutable, parseResult } from './external-data-source';

let dir: string;

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const config = (values: TfObject): TfObject => ({
  program: null,
  working_dir: null,
  query: null,
  result: null,
  id: null,
  ...values,
});

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'external-ds-')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('external data source', () => {
  test('the query arrives on stdin as one JSON object (null elements left out); stdout is the result', async () => {
    const echo = script('echo.sh', 'cat');
    const read = await externalDataSource.read(
      config({ program: [echo], query: { bucket: 'b-1250000000', empty: '', gone: null } }),
    );
    expect(read.diagnostics ?? []).toEqual([]);
    expect(read.state).toEqual(
      config({
        program: [echo],
        query: { bucket: 'b-1250000000', empty: '', gone: null },
        result: { bucket: 'b-1250000000', empty: '' },
        id: '-',
      }),
    );
  });

  test('no query: the program reads an empty object', async () => {
    const read = await externalDataSource.read(config({ program: [script('echo2.sh', 'cat')] }));
    expect(read.state?.result).toEqual({});
  });

  test('arguments go to the program as they are, without a shell; working_dir sets its directory', async () => {
    const args = script('args.sh', `printf '{"first":"%s","second":"%s","cwd":"%s"}' "$1" "$2" "$(pwd)"`);
    const read = await externalDataSource.read(
      config({ program: [args, 'a b', '$HOME;true', ''], working_dir: tmpdir() }),
    );
    expect(read.state?.result).toEqual({ first: 'a b', second: '$HOME;true', cwd: realpathSync(tmpdir()) });
  });

  test('a program found on PATH by name', () => {
    expect(findExecutable('sh', { PATH: `/nonexistent:${process.env.PATH}` })).toMatch(/\/sh$/);
    expect(findExecutable('no-such-program-here', { PATH: dir })).toBeUndefined();
  });

  test('a non-zero exit is an error on `program` that carries stderr and the exit status', async () => {
    const failing = script('fail.sh', 'echo "bucket not found: b-1" >&2\nexit 3');
    const read = await externalDataSource.read(config({ program: [failing] }));
    expect(read.state).toBeUndefined();
    expect(read.diagnostics).toEqual([
      {
        severity: 'error',
        summary: 'External Program Execution Failed',
        detail: `the program failed\n\nProgram: ${failing}\nError Message: bucket not found: b-1\n\nState: exit status 3`,
        attribute: [{ attribute: 'program' }],
      },
    ]);
  });

  test('a non-zero exit without stderr says so', async () => {
    const read = await externalDataSource.read(config({ program: [script('quiet.sh', 'exit 1')] }));
    expect(read.diagnostics?.[0].detail).toMatch(/^the program failed and wrote nothing to stderr\n/);
  });

  test.each([
    ['an array', '[1]', 'expected a JSON object, got an array'],
    ['a number value', '{"a":1}', 'value of "a" is 1, expected a string'],
    ['a nested object', '{"a":{"b":"c"}}', 'value of "a" is {"b":"c"}, expected a string'],
    ['not JSON', 'ok', 'Unexpected token'],
    ['nothing', '', 'Unexpected end of JSON input'],
  ])('stdout that is %s is an error naming the problem', async (_name, output, problem) => {
    const program = script(
      `out-${output.length}-${Buffer.from(output).toString('hex')}.sh`,
      `printf '%s' '${output}'`,
    );
    const read = await externalDataSource.read(config({ program: [program] }));
    expect(read.diagnostics).toMatchObject([
      {
        severity: 'error',
        summary: 'Unexpected External Program Results',
        attribute: [{ attribute: 'program' }],
      },
    ]);
    expect(read.diagnostics?.[0].detail).toContain(
      "the program's output must be a JSON object of string keys and string values",
    );
    expect(read.diagnostics?.[0].detail).toContain(problem);
  });

  test('a program that cannot be found is a lookup error naming it', async () => {
    const read = await externalDataSource.read(config({ program: [join(dir, 'missing.sh')] }));
    expect(read.diagnostics).toMatchObject([
      { summary: 'External Program Lookup Failed', attribute: [{ attribute: 'program' }] },
    ]);
    expect(read.diagnostics?.[0].detail).toContain(`Program: ${join(dir, 'missing.sh')}`);
  });

  test('an empty program list fails validation; only empty elements fail the read', async () => {
    expect(await externalDataSource.validate?.(config({ program: [] }))).toEqual([
      {
        severity: 'error',
        summary: 'Invalid Attribute Value',
        detail: 'Attribute program list must contain at least 1 elements, got: 0',
        attribute: [{ attribute: 'program' }],
      },
    ]);
    expect(await externalDataSource.validate?.(config({ program: ['x'] }))).toEqual([]);
    const read = await externalDataSource.read(config({ program: ['', null] }));
    expect(read.diagnostics).toMatchObject([{ summary: 'External Program Missing' }]);
  });

  test('parseResult accepts one flat JSON object of strings (null as the real provider reads it)', () => {
    expect(parseResult('{"a":"1","b":""}')).toEqual({ result: { a: '1', b: '' } });
    expect(parseResult('null')).toEqual({ result: {} });
    expect(parseResult('{"a":null}')).toEqual({ result: { a: '' } });
    expect(parseResult('"text"')).toEqual({ problem: 'expected a JSON object, got "text"' });
  });
});
