/**
 * The handler bundle (`dist/handler.js`) travels with the synthesized stack as one
 * `TerraformAsset` per stack, shared by every BucketInventory in it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

const ASSET_ID = 'CosInventoryHandler';

// Remembered so a second construct of the stack asking for another bundle is reported.
const ASSET_SOURCES = new WeakMap<TerraformAsset, string>();

/** `dist/handler.js` of this package: src/construct and lib/construct are both two levels deep. */
export function defaultHandlerBundlePath(): string {
  return resolve(__dirname, '..', '..', 'dist', 'handler.js');
}

/**
 * The stack's handler asset, created on first use. Throws when the bundle does not exist. A
 * second construct asking for another bundle gets the first one: the caller compares
 * {@link handlerAssetSource} and reports the conflict as a validation problem.
 */
export function handlerAsset(
  scope: IConstruct,
  bundlePath: string = defaultHandlerBundlePath(),
): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const sourcePath = resolve(bundlePath);
  const existing = stack.node.tryFindChild(ASSET_ID);
  if (existing instanceof TerraformAsset) return existing;
  if (!existsSync(sourcePath)) {
    throw new Error(
      `bucketinventory ${scope.node.path}: handler bundle not found at ${sourcePath}: ` +
        'run npm run build (or node scripts/bundle-handler.mjs) first',
    );
  }
  const asset = new TerraformAsset(stack, ASSET_ID, { path: sourcePath, type: AssetType.FILE });
  ASSET_SOURCES.set(asset, sourcePath);
  return asset;
}

/** The resolved bundle path the stack's asset was made from. */
export function handlerAssetSource(asset: TerraformAsset): string {
  return ASSET_SOURCES.get(asset) ?? '';
}

/** `node <asset path> <verb>`: the local-exec command (run by /bin/sh in the stack directory). */
export function handlerCommand(asset: TerraformAsset, verb: string, node = 'node'): string {
  return `${node} ${asset.path} ${verb}`;
}
