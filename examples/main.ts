/**
 * The cdktf app of the examples (`cdktf.json` runs it): `CHECKPOINT_DISABLE=1 npx cdktf synth`.
 * The stacks ship the provider bundle: `npm run build` makes it first.
 */
import { App } from 'cdktf';
import { MultiBucketStack } from './multi-bucket';
import { SeedSamplesStack } from './seed-samples';

const app = new App();
new SeedSamplesStack(app, 'seed-samples');
new MultiBucketStack(app, 'multi-bucket');
app.synth();
