/**
 * The drift check of one source bucket: a Terraform `check` block (>= 1.5) whose scoped
 * `external` data source runs the handler's `read` verb and whose asserts warn when a declared
 * job is absent or differs, or when the bucket holds jobs nobody declared.
 *
 * cdktf has no class for `check` blocks, so the block is a stack override. cdktf's HCL
 * renderer (`cdktf synth --hcl`) drops stack overrides other than `terraform`, so in HCL mode
 * the block is written next to `cdk.tf` as `<name>.check.tf.json`, which Terraform loads
 * alongside it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Lazy, TerraformStack, type TerraformAsset } from 'cdktf';
// Not re-exported by cdktf's index; TerraformAsset copies its files the same way.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import type { ISynthesisSession } from 'cdktf';
import { Construct } from 'constructs';
import type { InventoryConfiguration } from '../model/configuration';
import { resolveTokens } from './resolve-tokens';
import { escapeTemplate } from './template-escape';
import { CHECK_BLOCK_VERSION, requireTerraformVersion } from './terraform-version';

/** `hashicorp/external`, which runs a program and reads one flat JSON object of strings. */
export const EXTERNAL_PROVIDER = { source: 'hashicorp/external', version: '>= 2.3' } as const;

export interface DriftCheckProps {
  /** Name of the check block and of its data source. */
  readonly name: string;
  readonly bucket: string;
  readonly region: string;
  readonly asset: TerraformAsset;
  readonly nodeCommand: string;
  /** The declared canonical configurations, at synth. */
  readonly configurations: () => readonly InventoryConfiguration[];
  /** Job id -> Terraform address of its resource, at synth. */
  readonly addresses: () => Readonly<Record<string, string>>;
  /**
   * Addresses the read waits for: the jobs (a first plan does not warn about jobs being created)
   * and the prune resource (a plan removing a job does not call it undeclared).
   */
  readonly dependsOn: () => readonly string[];
  /** Also warn about jobs whose reports are overdue or never arrived (`deliveryCheck`). */
  readonly deliveryCheck?: boolean;
}

/** Adds the check block of one source bucket to its stack. */
export class DriftCheck extends Construct {
  /** The check block's name (also its data source's). */
  public readonly checkName: string;

  private readonly block: Record<string, unknown>;

  public constructor(scope: Construct, id: string, props: DriftCheckProps) {
    super(scope, id);
    this.checkName = props.name;
    const data = `data.external.${props.name}.result`;
    this.block = {
      data: {
        external: {
          [props.name]: {
            program: [props.nodeCommand, props.asset.path, 'read'],
            query: {
              bucket: props.bucket,
              region: props.region,
              // JSON strings are Terraform templates too: literal `${` must be escaped.
              configurations: Lazy.stringValue({
                produce: () => escapeTemplate(JSON.stringify(props.configurations())),
              }),
              addresses: Lazy.stringValue({ produce: () => JSON.stringify(props.addresses()) }),
              ...(props.deliveryCheck === true ? { delivery_check: 'true' } : {}),
            },
            depends_on: Lazy.listValue({ produce: () => [...props.dependsOn()] }),
          },
        },
      },
      assert: [
        { condition: `\${${data}.in_sync == "true"}`, error_message: `\${${data}.drift_message}` },
        { condition: `\${${data}.undeclared == ""}`, error_message: `\${${data}.undeclared_message}` },
        ...(props.deliveryCheck === true
          ? [
              {
                condition: `\${${data}.delivery_ok == "true"}`,
                error_message: `\${${data}.delivery_message}`,
              },
            ]
          : []),
      ],
    };
    const stack = TerraformStack.of(this);
    stack.addOverride(`check.${props.name}`, this.block);
    stack.addOverride('terraform.required_providers.external', EXTERNAL_PROVIDER);
    requireTerraformVersion(stack, CHECK_BLOCK_VERSION, 'check blocks of the drift check');
    addCustomSynthesis(this, { onSynthesize: (session) => this.writeHclCompanion(session) });
  }

  private writeHclCompanion(session: ISynthesisSession): void {
    const stack = TerraformStack.of(this);
    const stackFile = join(session.outdir, session.manifest.forStack(stack).synthesizedStackPath);
    const companion = join(dirname(stackFile), `${this.checkName}.check.tf.json`);
    if (!session.manifest.hclOutput) {
      // A companion left by an earlier HCL synth would declare the check block twice.
      rmSync(companion, { force: true });
      return;
    }
    const body = { check: { [this.checkName]: resolveTokens(stack, this.block) } };
    writeFileSync(companion, `${JSON.stringify(body, null, 2)}\n`);
  }
}
