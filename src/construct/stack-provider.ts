/**
 * The provider of one stack: its one `provider "cosinventory"` block and the provider's files,
 * written into the stack directory at synth so `terraform init` there installs it offline from
 * `terraform.d/plugins` (an implied local mirror). Shared by every construct of the stack: one
 * bundle and one node command. Account guards are on the resources, not on provider aliases: a
 * resource deleted with its construct still has the block it was made with.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TerraformStack, type ISynthesisSession } from 'cdktf';
// Not re-exported by cdktf's index; the symbol it sets is shared by cdktf and cdktn.
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, type IConstruct } from 'constructs';
import { PROVIDER_HOST, PROVIDER_NAMESPACE, PROVIDER_TYPE, providerVersion } from '../provider/names';
import { providerPluginFiles, writePluginFiles } from '../provider/plugin-files';
import { CosInventoryProvider } from './cosinventory-provider';

const ID = 'CosInventoryProvider';

/** `dist/provider.js` of this package: src/construct and lib/construct are both two levels deep. */
export function defaultProviderBundlePath(): string {
  return resolve(__dirname, '..', '..', 'dist', 'provider.js');
}

/** What a construct asks of the stack's provider files. */
export interface ProviderRequest {
  /** The provider bundle (resolved path). */
  readonly bundlePath: string;
  /** The command starting node, written into the wrapper. */
  readonly nodeCommand: string;
  /** Construct path of who asks, for conflict messages. */
  readonly where: string;
}

function requireBundle(request: ProviderRequest, construct: string): void {
  if (!existsSync(request.bundlePath)) {
    throw new Error(
      `${construct} ${request.where}: providerBundlePath: provider bundle not found at ${request.bundlePath}: ` +
        'run npm run build first, or set providerBundlePath to a built dist/provider.js',
    );
  }
}

/** The stack's provider block and files. */
export class StackProvider extends Construct {
  /** The stack's provider, created on first use. */
  public static of(scope: IConstruct): StackProvider {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof StackProvider ? existing : new StackProvider(stack, ID);
  }

  /** The stack's provider block (no alias, no guard). */
  public readonly defaultProvider: CosInventoryProvider;
  /** The settings the stack's files are written with: the first construct's. */
  private shipped?: ProviderRequest;
  /** The settings of a construct shipping only when no other does (RemovedBucketInventory). */
  private fallback?: ProviderRequest;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.defaultProvider = new CosInventoryProvider(this, 'Default');
    addCustomSynthesis(this, { onSynthesize: (session) => this.writeFiles(session) });
  }

  /**
   * Registers what `request.where` needs shipped. The first request fixes the stack's files; the
   * answer is that first request, which the caller compares with its own to report a conflict.
   * Throws when the bundle does not exist.
   */
  public ship(request: ProviderRequest): ProviderRequest {
    requireBundle(request, 'bucketinventory');
    this.shipped ??= request;
    return this.shipped;
  }

  /**
   * Registers what `request.where` needs shipped when no other construct of the stack ships
   * anything: the provider a stack whose last inventory was deleted still needs for the
   * deletion. A construct calling {@link ship} takes precedence. Throws when the bundle does not
   * exist.
   */
  public shipIfAlone(request: ProviderRequest): void {
    requireBundle(request, 'removedbucketinventory');
    this.fallback ??= request;
  }

  private writeFiles(session: ISynthesisSession): void {
    const shipped = this.shipped ?? this.fallback;
    if (shipped === undefined) return;
    const stack = TerraformStack.of(this);
    const stackDir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
    // Another release's copy left by an earlier synth is of no use: Terraform installs the pinned one.
    rmSync(join(stackDir, 'terraform.d', 'plugins', PROVIDER_HOST, PROVIDER_NAMESPACE, PROVIDER_TYPE), {
      recursive: true,
      force: true,
    });
    const files = providerPluginFiles({
      bundle: readFileSync(shipped.bundlePath),
      version: providerVersion(),
      nodeCommand: shipped.nodeCommand,
    });
    writePluginFiles(stackDir, files);
  }
}
