/**
 * The filesystem mirror of `npm run terraform-mirror` (the test-only `hashicorp/external`
 * stand-in), so that a stack of the provisioner release (0.1.x), which has a drift check,
 * passes `terraform init` offline. The construct's own stacks need no CLI configuration.
 */

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'terraform-mirror.mjs');

/** Writes the mirror into `dir` (as `npm run terraform-mirror -- DIR` does); returns the CLI configuration's path. */
export function writeTerraformMirror(dir: string): string {
  const printed = execFileSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' }).trim();
  if (!path.isAbsolute(printed)) throw new Error(`terraform-mirror printed ${JSON.stringify(printed)}`);
  return printed;
}
