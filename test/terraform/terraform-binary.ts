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

/** The switch CI sets so that the real-terraform tests cannot be skipped silently there. */
export const REQUIRE_TERRAFORM_VARIABLE = 'COS_INVENTORY_REQUIRE_TERRAFORM';

/**
 * Throws (failing the test file) when `COS_INVENTORY_REQUIRE_TERRAFORM=1` and no terraform
 * at least `wanted` answered; otherwise returns, and the caller skips with a note.
 */
export function requireTerraform(
  lookup: TerraformLookup,
  wanted: readonly [number, number],
  what: string,
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (env[REQUIRE_TERRAFORM_VARIABLE] !== '1') return;
  const reason = !lookup.found
    ? lookup.reason
    : atLeast(lookup.binary, wanted)
      ? undefined
      : `terraform ${lookup.binary.version} is older than ${wanted.join('.')}`;
  if (reason !== undefined) {
    throw new Error(
      `${what}: ${REQUIRE_TERRAFORM_VARIABLE}=1 but ${reason}: install terraform >= ${wanted.join('.')}`,
    );
  }
}
