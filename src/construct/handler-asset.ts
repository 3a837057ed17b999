/**
 * The handler bundle (`dist/handler.js`) travels with the synthesized stack as one
 * `TerraformAsset` per stack, shared by every BucketInventory in it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AssetType, TerraformAsset, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

const ASSET_ID = 'CosInventoryHandler';

// Remembered so a second construct of the stack asking for another bundle is caught.
const ASSET_SOURCES = new WeakMap<TerraformAsset, string>();

/** `dist/handler.js` of this package: src/construct and lib/construct are both two levels deep. */
export function defaultHandlerBundlePath(): string {
  return resolve(__dirname, '..', '..', 'dist', 'handler.js');
}

/**
 * The stack's handler asset, created on first use. Throws when the bundle does not exist or when
 * two constructs of one stack ask for different bundles.
 */
export function handlerAsset(
  scope: IConstruct,
  bundlePath: string = defaultHandlerBundlePath(),
): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const sourcePath = resolve(bundlePath);
  const existing = stack.node.tryFindChild(ASSET_ID);
  if (existing instanceof TerraformAsset) {
    const existingSource = ASSET_SOURCES.get(existing) ?? '';
    if (existingSource !== sourcePath) {
      throw new Error(
        `bucketinventory ${scope.node.path}: handlerBundlePath: ${JSON.stringify(sourcePath)} differs from ` +
          `${JSON.stringify(existingSource)} used by another construct of this stack; use one bundle per stack`,
      );
    }
    return existing;
  }
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

/** `node <asset path> <verb>`: the local-exec command (run by /bin/sh in the stack directory). */
export function handlerCommand(asset: TerraformAsset, verb: string, node = 'node'): string {
  return `${node} ${asset.path} ${verb}`;
}
