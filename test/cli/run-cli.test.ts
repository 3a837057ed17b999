/**
 * `runCli(argv, io)` itself: every outcome is a returned exit status and text on `io`'s streams,
 * never `process.exit` nor the process's own streams; relative paths resolve against `io.cwd`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../kit';
import { ONE_JOB_CREATE_PLAN as PLAN } from '../review/plan-builder';

describe('runCli', () => {
  let exit: jest.SpyInstance;
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${code}) called`);
    });
    stdout = jest.spyOn(process.stdout, 'write');
    stderr = jest.spyOn(process.stderr, 'write');
  });
  afterEach(() => {
    expect(exit).not.toHaveBeenCalled();
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    jest.restoreAllMocks();
  });

  it('prints the version of package.json and returns 0', async () => {
    const { version } = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('returns 0 for --help of the program and of a command, the help on stdout', async () => {
    const program = await runCli(['--help']);
    expect(program.code).toBe(0);
    expect(program.stdout).toMatch(/^Usage: cos-inventory \[options\] \[command\]/);
    for (const command of ['emulator', 'report', 'run', 'import', 'status', 'review']) {
      expect(program.stdout).toContain(`  ${command} `);
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: cos-inventory ${command} [options]`);
    }
  });

  it('returns 1 for an unknown command and 2 for a bad flag, the error on stderr', async () => {
    expect(await runCli(['create'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: unknown command 'create'\n",
    });
    const bad = await runCli(['status', '--bucket', 'Bad_Bucket', '--region', 'ap-guangzhou']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("option '--bucket <bucket>' argument 'Bad_Bucket' is invalid");
  });

  it('resolves relative paths against io.cwd', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-cli-'));
    try {
      fs.writeFileSync(path.join(dir, 'plan.json'), PLAN);
      const result = await runCli(['review', '--format', 'text', 'plan.json'], {}, { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Inventory jobs: logs-1250000000 1 added.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
