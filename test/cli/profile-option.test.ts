/**
 * `--profile` on the commands that talk to COS, in process (`runCli`): the named tccli profile
 * is read even when key variables are set; an unknown one is one line and exit 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, type LocalCos } from '../../src/emulator';
import { type Kit, runCli, startKit } from '../kit';

const REGION = 'ap-guangzhou';
const SOURCE = 'logs-1250000000';

let kit: Kit;

let local: LocalCos;
let dir: string;

beforeAll(async () => {
  kit = await startKit({ buckets: [`${SOURCE}@${REGION}`] });
  local = kit.cos;
  dir = mkdtempSync(join(tmpdir(), 'cos-inventory-profile-'));
  writeFileSync(
    join(dir, 'ops.credential'),
    JSON.stringify({ secretId: DEFAULT_CREDENTIALS.secretId, secretKey: DEFAULT_CREDENTIALS.secretKey }),
  );
});
afterAll(async () => {
  await kit.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  COS_INVENTORY_ENDPOINT: local.endpoint,
  TENCENTCLOUD_SHARED_CREDENTIALS_DIR: dir,
  // Keys of no account: --profile must win over them.
  TENCENTCLOUD_SECRET_ID: 'AKIDwrongwrongwrongwrongwrongwrong00',
  TENCENTCLOUD_SECRET_KEY: 'wrongsecretkeywrongsecretkey0000',
});

describe('--profile', () => {
  it('status reads the named profile over the key variables', async () => {
    const result = await runCli(
      ['status', '--bucket', SOURCE, '--region', REGION, '--profile', 'ops'],
      env(),
    );
    expect([result.code, result.stderr]).toEqual([0, '']);
    const without = await runCli(['status', '--bucket', SOURCE, '--region', REGION], env());
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/code=InvalidAccessKeyId|code=SignatureDoesNotMatch|code=AccessDenied/);
    expect(without.stderr).not.toContain('wrongsecretkeywrongsecretkey0000');
  });

  it('an unknown profile is one line naming the file, exit 2', async () => {
    const result = await runCli(
      ['status', '--bucket', SOURCE, '--region', REGION, '--profile', 'nope'],
      env(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `cos-inventory status: bucket=${SOURCE} id=- code=UnknownProfile request-id=-: profile "nope" (--profile): ${join(dir, 'nope.credential')} does not exist; hint: run tccli configure --profile nope, or fix --profile or TENCENTCLOUD_SHARED_CREDENTIALS_DIR\n`,
    );
  });

  it.each(['drift', 'import', 'report', 'run', 'status'])('%s takes it', async (name) => {
    const help = await runCli([name, '--help']);
    expect([name, help.code, help.stdout]).toEqual([name, 0, expect.stringContaining('--profile <name>')]);
  });
});
