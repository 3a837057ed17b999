/**
 * The SDK alone doing what `put-job` sends (one putBucketInventory, one getBucketInventory),
 * bundled by esbuild like dist/handler.js: the baseline that separates the SDK's share of the
 * handler's start from our code's. Input: the same environment as the handler.
 */
import COS from 'cos-nodejs-sdk-v5';

const spec = JSON.parse(process.env.COS_INVENTORY_SPEC ?? '{}');
const endpoint = new URL(process.env.COS_INVENTORY_ENDPOINT ?? '');
const cos = new COS({
  SecretId: process.env.TENCENTCLOUD_SECRET_ID,
  SecretKey: process.env.TENCENTCLOUD_SECRET_KEY,
  Protocol: 'http:',
  Ip: endpoint.host,
  AutoSwitchHost: false,
  KeepAlive: false,
});
const target = { Bucket: spec.bucket, Region: spec.region };

// Bundled as CommonJS like the handler, which has no top-level await.
async function main() {
  await cos.putBucketInventory({
    ...target,
    Id: spec.configuration.Id,
    InventoryConfiguration: spec.configuration,
  });
  const stored = await cos.getBucketInventory({ ...target, Id: spec.configuration.Id });
  if (stored.InventoryConfiguration?.Id !== spec.configuration.Id) {
    throw new Error(
      `reading back ${spec.configuration.Id} found ${JSON.stringify(stored.InventoryConfiguration)}`,
    );
  }
  console.log(`stored ${spec.configuration.Id}`);
}

main().catch((error) => {
  console.error(`sdk-only: ${error.message ?? JSON.stringify(error)}`);
  process.exitCode = 1;
});
