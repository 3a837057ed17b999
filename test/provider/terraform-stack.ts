/**
 * A working directory for the real `terraform` with the provider installed the way a
 * synthesized stack carries it: `providerPluginFiles` + dist/provider.js under
 * `terraform.d/plugins`, no CLI configuration (the implied local mirror), raw `.tf.json`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PROVIDER_SOURCE, PROVIDER_TYPE, providerVersion } from '../../src/provider/names';
import { providerPluginFiles, writePluginFiles } from '../../src/provider/plugin-files';

export const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
const BUNDLE = join(__dirname, '..', '..', 'dist', 'provider.js');

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TerraformStack {
  readonly dir: string;
  /** Where the provider's code cache goes (the processes' TMPDIR). */
  readonly tmp: string;
  /** Writes main.tf.json: the provider requirement and block, plus `body`'s top-level keys. */
  configure(body: Record<string, unknown>): void;
  run(args: readonly string[]): Promise<TerraformRun>;
  /** Runs and throws with Terraform's output on a non-zero exit. */
  ok(args: readonly string[]): Promise<string>;
  /** The installed package directory's file names. */
  installedFiles(): string[];
  remove(): void;
}

/** Where {@link runTerraform} runs terraform. */
export interface TerraformPlace {
  /** The working directory. */
  readonly dir: string;
  /** A private directory holding `empty.rc`, the CLI configuration; HOME when the process has none. */
  readonly work: string;
  /** TMPDIR of terraform and the provider processes. */
  readonly tmp: string;
  /** Credentials and endpoint. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * `terraform <args> -no-color` with nothing of the machine's configuration: the empty CLI
 * configuration (so the implied local mirror under terraform.d/plugins applies) and no plugin
 * cache.
 */
export function runTerraform(place: TerraformPlace, args: readonly string[]): Promise<TerraformRun> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      [...args, '-no-color'],
      {
        cwd: place.dir,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? place.work,
          ...place.env,
          TMPDIR: place.tmp,
          TF_CLI_CONFIG_FILE: join(place.work, 'empty.rc'),
          TF_PLUGIN_CACHE_DIR: '',
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** {@link runTerraform}, throwing with Terraform's output on a non-zero exit. */
export async function terraformOk(place: TerraformPlace, args: readonly string[]): Promise<string> {
  const result = await runTerraform(place, args);
  if (result.code !== 0)
    throw new Error(`terraform ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

export function createStack(env: Readonly<Record<string, string>>): TerraformStack {
  const work = mkdtempSync(join(tmpdir(), 'cosinventory-provider-'));
  const dir = join(work, 'stack');
  const tmp = join(work, 'tmp');
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(work, 'empty.rc'), '');
  const version = providerVersion();
  const files = providerPluginFiles({
    bundle: readFileSync(BUNDLE),
    version,
    nodeCommand: process.execPath,
    platforms: [PLATFORM],
  });
  writePluginFiles(dir, files);
  const place: TerraformPlace = { dir, work, tmp, env };
  const run = (args: readonly string[]): Promise<TerraformRun> => runTerraform(place, args);
  return {
    dir,
    tmp,
    configure(body) {
      writeFileSync(
        join(dir, 'main.tf.json'),
        JSON.stringify(
          {
            terraform: { required_providers: { [PROVIDER_TYPE]: { source: PROVIDER_SOURCE, version } } },
            provider: { [PROVIDER_TYPE]: {} },
            ...body,
          },
          null,
          2,
        ),
      );
    },
    run,
    ok: (args) => terraformOk(place, args),
    installedFiles: () => readdirSync(dirname(join(dir, files[0].path))).sort(),
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
