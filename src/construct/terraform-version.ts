/**
 * The Terraform version a stack needs, checked once per stack at synth.
 *
 * `moved` blocks across resource types need Terraform 1.8 and `import` blocks 1.5. cdktf's own
 * checks run the installed binary once per resource, and fail the synth where no Terraform is
 * installed. Synthesizing needs no Terraform, so this check runs `terraform version` once per
 * stack and only refuses a binary that is present and too old.
 */
import { execFileSync } from 'node:child_process';
import type { IValidation } from 'constructs';
import { TerraformStack } from 'cdktf';

/** `[major, minor]` */
export type TerraformVersion = readonly [number, number];

const REQUIREMENT = Symbol.for('cdktf-cos-inventory.terraform-version');

interface Requirement {
  version: TerraformVersion;
  reasons: Set<string>;
}

const newer = (a: TerraformVersion, b: TerraformVersion): boolean =>
  a[0] !== b[0] ? a[0] > b[0] : a[1] > b[1];

const show = (v: TerraformVersion): string => `${v[0]}.${v[1]}`;

/** Records that `stack` needs Terraform `version` or later, for `reason`. */
export function requireTerraformVersion(
  stack: TerraformStack,
  version: TerraformVersion,
  reason: string,
): void {
  const holder = stack as unknown as { [REQUIREMENT]?: Requirement };
  let requirement = holder[REQUIREMENT];
  if (!requirement) {
    requirement = { version, reasons: new Set() };
    Object.defineProperty(stack, REQUIREMENT, { value: requirement });
    stack.node.addValidation(new TerraformVersionValidation(requirement));
  }
  if (newer(version, requirement.version)) requirement.version = version;
  requirement.reasons.add(`${reason} (terraform ${show(version)})`);
}

/** The binary cdktf itself runs (`TERRAFORM_BINARY_NAME`, else `terraform`). */
function terraformBinary(): string {
  return process.env.TERRAFORM_BINARY_NAME || 'terraform';
}

/** The installed Terraform's version (`[major, minor]` and the full text), or undefined when none answers. */
export function installedTerraformVersion(
  binary = terraformBinary(),
): { readonly version: TerraformVersion; readonly text: string } | undefined {
  let text: string;
  try {
    text = execFileSync(binary, ['version'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    }).toString();
  } catch {
    return undefined;
  }
  const match = /(\d+)\.(\d+)\.\d+/.exec(text);
  return match ? { version: [Number(match[1]), Number(match[2])], text: match[0] } : undefined;
}

class TerraformVersionValidation implements IValidation {
  public constructor(private readonly requirement: Requirement) {}

  public validate(): string[] {
    const installed = installedTerraformVersion();
    if (installed === undefined || !newer(this.requirement.version, installed.version)) return [];
    return [
      `terraform ${installed.text} is installed, but this stack needs ${show(this.requirement.version)} or later: ` +
        [...this.requirement.reasons].sort().join(', '),
    ];
  }
}
