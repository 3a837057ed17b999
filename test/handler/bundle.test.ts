import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getInventory } from '../../src/cos/inventory';
import { remoteIds, startKit, type Kit } from '../kit';
import { DESTINATION, job, REGION, SOURCE } from './fixtures';
import { HANDLER, runHandler } from './run-handler';

/**
 * The bundle as Terraform runs it, `node dist/handler.js <verb>` in its own process: the few
 * checks only a process shows (exit status, stdout, stdin, nothing inherited). Every verb's
 * behaviour is tested in process, through `runHandler(args, io)`.
 */
let kit: Kit;

beforeAll(async () => {
  kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`] });
});

afterAll(() => kit.close());

describe('dist/handler.js as a process', () => {
  it('put-job stores the job and prints one line, exit 0', async () => {
    const result = await runHandler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: job('from-bundle') },
      env: kit.env(),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^stored inventory job from-bundle .*\n$/);
    expect(await getInventory(kit.client, { bucket: SOURCE, region: REGION }, 'from-bundle')).toBeDefined();
    expect(await remoteIds(kit.sdk, SOURCE, REGION)).toEqual(['from-bundle']);
  });

  it('read answers on stdout from a directory holding nothing but the bundle', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'cos-inventory-handler-'));
    try {
      const copy = join(directory, 'handler.js');
      await copyFile(HANDLER, copy);
      const result = await runHandler('read', {
        handler: copy,
        stdin: JSON.stringify({ bucket: DESTINATION, region: REGION, configurations: '[]' }),
        env: kit.env(),
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ bucket_status: 'present', in_sync: 'true' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('an unknown verb exits 2 with the usage on stderr', async () => {
    const result = await runHandler('create', { env: kit.env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage: node handler.js <verb>');
  });
});
