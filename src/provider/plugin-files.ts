/**
 * The files that make the provider installable from a stack directory: Terraform's implied
 * local mirror `terraform.d/plugins/<host>/<namespace>/<type>/<version>/<os>_<arch>/` holds an
 * executable named `terraform-provider-<type>_v<version>`; ours is a shell script running the
 * bundled provider with node. The bundle is plain JavaScript, so every platform's directory
 * holds the same bytes (and Terraform's `h1:` hash of it is the same on each).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROVIDER_BUNDLE_NAME } from './bundle-name';
import { loaderSource, PROVIDER_LOADER_NAME } from './code-cache-loader';
import { PROVIDER_HOST, PROVIDER_NAMESPACE, PROVIDER_TYPE, providerExecutableName } from './names';

export { PROVIDER_BUNDLE_NAME };

/** Platforms a synthesized stack carries the provider for by default. */
export const DEFAULT_PROVIDER_PLATFORMS = [
  'linux_amd64',
  'linux_arm64',
  'darwin_amd64',
  'darwin_arm64',
] as const;

/** One file to write under the stack directory. */
export interface PluginFile {
  /** Relative to the stack directory, `/`-separated. */
  readonly path: string;
  readonly content: string | Buffer;
  /** File mode: 0o755 for the executable, 0o644 otherwise. */
  readonly mode: number;
}

export interface PluginFilesOptions {
  /** The provider bundle's content (`dist/provider.js`). */
  readonly bundle: string | Buffer;
  readonly version: string;
  /** The command starting node on the machine running Terraform. @default 'node' */
  readonly nodeCommand?: string;
  /** `<os>_<arch>` directories to write. @default DEFAULT_PROVIDER_PLATFORMS */
  readonly platforms?: readonly string[];
}

/** `terraform.d/plugins/<host>/<namespace>/<type>/<version>/<platform>`. */
export function pluginDirectory(version: string, platform: string): string {
  return ['terraform.d', 'plugins', PROVIDER_HOST, PROVIDER_NAMESPACE, PROVIDER_TYPE, version, platform].join(
    '/',
  );
}

/** Single-quotes `value` for /bin/sh. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The executable Terraform starts: it hands over to node at once (Terraform passes no
 * arguments), through the loader that keeps a code cache of the bundle.
 */
export function wrapperScript(version: string, nodeCommand = 'node'): string {
  return [
    '#!/bin/sh',
    `# cdktf-cos-inventory provider ${version}: runs the bundled provider beside this file with node.`,
    `exec ${shellQuote(nodeCommand)} "$(dirname "$0")/${PROVIDER_LOADER_NAME}" "$@"`,
    '',
  ].join('\n');
}

/** Every file of the provider, for each platform. */
export function providerPluginFiles(options: PluginFilesOptions): PluginFile[] {
  const platforms = options.platforms ?? DEFAULT_PROVIDER_PLATFORMS;
  return platforms.flatMap((platform) => {
    const dir = pluginDirectory(options.version, platform);
    return [
      {
        path: `${dir}/${providerExecutableName(options.version)}`,
        content: wrapperScript(options.version, options.nodeCommand),
        mode: 0o755,
      },
      { path: `${dir}/${PROVIDER_LOADER_NAME}`, content: loaderSource(options.version), mode: 0o644 },
      { path: `${dir}/${PROVIDER_BUNDLE_NAME}`, content: options.bundle, mode: 0o644 },
    ];
  });
}

/** Writes `files` under `dir` (a stack directory), each with its mode. */
export function writePluginFiles(dir: string, files: readonly PluginFile[]): void {
  for (const file of files) {
    const path = join(dir, ...file.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { mode: file.mode });
    // writeFileSync's mode is filtered by the umask; the wrapper must be executable.
    chmodSync(path, file.mode);
  }
}
