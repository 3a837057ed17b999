import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { terraformApply, type JsonValue } from './harness';

type Json = { [key: string]: JsonValue };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-check-'));
  // The "program": answers according to its first argument, echoing what it received.
  fs.writeFileSync(
    path.join(dir, 'program.js'),
    `const mode = process.argv[2];
let stdin = '';
process.stdin.on('data', (c) => (stdin += c)).on('end', () => {
  const query = JSON.parse(stdin);
  if (mode === 'fail') { process.stderr.write('cannot reach cos\\n'); process.exit(4); }
  if (mode === 'nested') { process.stdout.write(JSON.stringify({ a: { b: 'c' } })); return; }
  if (mode === 'number') { process.stdout.write(JSON.stringify({ a: 1 })); return; }
  process.stdout.write(JSON.stringify({
    in_sync: query.in_sync, message: 'job ' + query.job + ' drifted', argv: process.argv.slice(3).join('|'), cwd: process.cwd(),
  }));
});
`,
  );
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function config(mode: string, query: Json, extraArgs: string[] = []): Json {
  return {
    resource: { terraform_data: { job: { input: { id: 'a' } } } },
    check: {
      drift: {
        data: {
          external: {
            probe: {
              depends_on: ['terraform_data.job'],
              program: ['node', 'program.js', mode, ...extraArgs],
              query,
            },
          },
        },
        assert: [
          {
            condition: '${data.external.probe.result.in_sync == "true"}',
            error_message: '${data.external.probe.result.message}',
          },
        ],
      },
    },
  };
}

const run = (c: Json, state?: Awaited<ReturnType<typeof terraformApply>>['state']) =>
  terraformApply({ stackDir: dir, config: c, state, env: { PATH: process.env.PATH } });

describe('check blocks with an external data source', () => {
  it('passes, with the query on stdin, argv without a shell and the stack directory as cwd', async () => {
    const result = await run(config('ok', { in_sync: 'true', job: 'a' }, ['$HOME', 'two words']));
    expect(result.ok).toBe(true);
    expect(result.checks.apply).toHaveLength(1);
    const check = result.checks.apply[0];
    expect(check.status).toBe('pass');
    expect(check.warnings).toEqual([]);
    expect(check.reads[0].result?.argv).toBe('$HOME|two words');
    expect(fs.realpathSync(check.reads[0].result!.cwd)).toBe(fs.realpathSync(dir));
    expect(check.reads[0].query).toEqual({ in_sync: 'true', job: 'a' });
  });

  it('turns a failed assertion into a warning carrying the error_message', async () => {
    const result = await run(config('ok', { in_sync: 'false', job: 'a' }));
    expect(result.ok).toBe(true);
    expect(result.checks.apply[0].status).toBe('fail');
    expect(result.warnings).toEqual([{ summary: 'Check block assertion failed', detail: 'job a drifted' }]);
  });

  it('defers the read to apply while a dependency has pending changes, reads at plan otherwise', async () => {
    const first = await run(config('ok', { in_sync: 'true', job: 'a' }));
    expect(first.checks.plan[0].status).toBe('unknown');
    expect(first.checks.plan[0].reads).toEqual([]);
    const second = await run(config('ok', { in_sync: 'true', job: 'a' }), first.state);
    expect(second.checks.plan[0].status).toBe('pass');
    expect(second.checks.apply[0].status).toBe('pass');
  });

  it('reports a failing program as a warning with its stderr, not an error', async () => {
    const result = await run(config('fail', {}));
    expect(result.ok).toBe(true);
    expect(result.checks.apply[0].status).toBe('error');
    expect(result.warnings[0].detail).toMatch(/External Program Execution Failed/);
    expect(result.warnings[0].detail).toMatch(/Error Message: cannot reach cos\n/);
    expect(result.warnings[0].detail).toMatch(/exit status 4/);
  });

  it.each(['nested', 'number'])('rejects output that is not a flat object of strings (%s)', async (mode) => {
    const result = await run(config(mode, {}));
    expect(result.checks.apply[0].status).toBe('error');
    expect(result.warnings[0].detail).toMatch(/Unexpected External Program Results/);
    expect(result.warnings[0].detail).toMatch(
      /cannot unmarshal (object|number) into Go value of type string/,
    );
  });

  it('refuses a query value that is not a string', async () => {
    const result = await run(config('ok', { nested: { a: 'b' } }));
    expect(result.warnings[0].detail).toMatch(/query: element "nested": string required/);
  });

  it('reads checks during terraform destroy (its refresh) but not after the destroy', async () => {
    const first = await run(config('ok', { in_sync: 'false', job: 'a' }));
    const destroyed = await terraformApply({
      stackDir: dir,
      config: config('ok', { in_sync: 'false', job: 'a' }),
      state: first.state,
      mode: 'destroy',
      env: { PATH: process.env.PATH },
    });
    expect(destroyed.checks.apply).toEqual([]);
    expect(destroyed.checks.plan[0].status).toBe('fail');
    expect(destroyed.warnings[0].detail).toBe('job a drifted');
  });
});
