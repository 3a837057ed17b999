/**
 * The cdktf app of the examples (`cdktf.json` runs it): `CHECKPOINT_DISABLE=1 npx cdktf synth`.
 * The stacks ship the handler bundle, so it is built first when missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
// Repository-only: the bundle's path inside this checkout (an installed package ships it built).
import { defaultHandlerBundlePath } from '../src/construct/handler-asset';
import { MultiBucketStack } from './multi-bucket';
import { SeedSamplesStack } from './seed-samples';

if (!existsSync(defaultHandlerBundlePath())) {
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'bundle-handler.mjs')], {
    stdio: 'inherit',
  });
}

const app = new App();
new SeedSamplesStack(app, 'seed-samples');
new MultiBucketStack(app, 'multi-bucket');
app.synth();
