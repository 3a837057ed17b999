/**
 * Finds a real `terraform` on PATH and its version, so the cross-check can run where one
 * exists and say plainly why it does not elsewhere.
 */

import { execFileSync } from 'node:child_process';

export interface TerraformBinary {
  readonly version: string;
  readonly major: number;
  readonly minor: number;
}

export type TerraformLookup =
  | { readonly found: true; readonly binary: TerraformBinary }
  | { readonly found: false; readonly reason: string };

/** `terraform version -json`; anything below `minimum` (major.minor) counts as absent. */
export function findTerraform(minimum: readonly [number, number]): TerraformLookup {
  let text: string;
  try {
    text = execFileSync('terraform', ['version', '-json'], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
    });
  } catch (error) {
    return {
      found: false,
      reason: `no terraform answered \`terraform version\` (${(error as Error).message})`,
    };
  }
  const version = (JSON.parse(text) as { terraform_version?: unknown }).terraform_version;
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)\./.exec(version) : null;
  if (!match) return { found: false, reason: `terraform version printed no version: ${text.trim()}` };
  const binary = { version: version as string, major: Number(match[1]), minor: Number(match[2]) };
  if (!atLeast(binary, minimum)) {
    return { found: false, reason: `terraform ${binary.version} is older than ${minimum.join('.')}` };
  }
  return { found: true, binary };
}

export function atLeast(binary: TerraformBinary, [major, minor]: readonly [number, number]): boolean {
  return binary.major > major || (binary.major === major && binary.minor >= minor);
}
