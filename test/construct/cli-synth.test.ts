/**
 * The user's path for synth errors: the `cdktf synth` CLI as a child process, on an app that
 * holds every bad input of issue 10 at once. Each problem must appear once, with its construct
 * path, the prop's own name and the value received, and no token `Resolution error`.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');

const APP = `
import { App, TerraformStack } from 'cdktf';
import { BucketInventory } from ${JSON.stringify(path.join(ROOT, 'src', 'construct'))};

const app = new App();
const stack = new TerraformStack(app, 'bad');
// As Tencent's samples: no ownerUin, no destination.accountId; a bad destination bucket; a bad day.
new BucketInventory(stack, 'example', {
  bucket: 'examplebucket-1250000000',
  region: 'ap-guangzhou',
  jobs: [{ id: 'a', destination: { bucket: 'Bad_Bucket' }, schedule: { frequency: 'Monthly', monthlyDate: 40 } }],
});
new BucketInventory(stack, 'uin', {
  bucket: 'uin-1250000000',
  region: 'ap-guangzhou',
  ownerUin: 'abc',
  jobs: [{ id: 'b', destination: { bucket: 'dest-1250000000', accountId: '100000000001' } }],
});
new BucketInventory(stack, 'principal', {
  bucket: 'principal-1250000000',
  region: 'ap-guangzhou',
  policyPrincipal: [],
  nodeCommand: 'node22',
  jobs: [{ id: 'c', destination: { bucket: 'dest-1250000000', accountId: '100000000002' } }],
});
app.synth();
`;

function cdktfSynth(dir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      CDKTF,
      ['synth'],
      {
        cwd: dir,
        env: {
          ...process.env,
          CHECKPOINT_DISABLE: '1',
          CI: '1',
          // The app imports this repository's sources from a directory outside it.
          NODE_PATH: path.join(ROOT, 'node_modules'),
          TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        // eslint-disable-next-line no-control-regex
        resolve({ code, output: `${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '') });
      },
    );
  });
}

describe('cdktf synth (the CLI, as a child process)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-synth-'));
    fs.writeFileSync(path.join(dir, 'main.ts'), APP);
    fs.writeFileSync(
      path.join(dir, 'cdktf.json'),
      JSON.stringify({ language: 'typescript', app: 'node -r ts-node/register/transpile-only main.ts' }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('fails once, listing every problem with path, prop name and value, and no resolution error', async () => {
    const { code, output } = await cdktfSynth(dir);
    expect(code).not.toBe(0);
    expect(output).not.toContain('Resolution error');
    const expected = [
      '[bad/example] jobs[0].destination.bucket (job "a"): must be <name>-<appid> (lowercase letters, digits and hyphens, then -<appid digits>) or qcs::cos:<region>::<name>-<appid> (received "Bad_Bucket")',
      '[bad/example] jobs[0].schedule.monthlyDate (job "a"): must be a whole number from 1 to 28 (received 40)',
      '[bad/example] jobs[0].destination.accountId (job "a"): is required when managePolicy is on and neither ownerUin nor policyPrincipal is set: it names the account whose role may deliver reports (or set managePolicy: false) (received nothing)',
      '[bad/uin] ownerUin: must be the account uin (digits) (received "abc")',
      '[bad/principal] policyPrincipal: must be a non-empty list of cam principals such as "qcs::cam::uin/100000000001:roleName/COS_QcsRole" (received [])',
      '[bad/principal] nodeCommand: differs from "node" of bad/example; the provider of a stack runs with one node command: give every BucketInventory of the stack the same nodeCommand (received "node22")',
      '[bad/principal] jobs[0].destination.accountId (job "c"): differs from "100000000001" of job "b" of bad/uin, which delivers to the same bucket dest-1250000000; a bucket has one owner (received "100000000002")',
    ];
    const lines = output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('[bad/'));
    // The CLI echoes the app's error output in its log and again in its summary: compare the
    // distinct lines, in order.
    expect([...new Set(lines)]).toEqual(expected);
    // The construct path is printed once per problem, by cdktf (our messages carry none).
    for (const line of lines) {
      const own = /^\[([^\]]+)\]/.exec(line)![1];
      expect(line.split(own)).toHaveLength(2);
    }
  }, 180_000);
});
