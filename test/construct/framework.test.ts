/**
 * One framework per app: a stack of the other framework than the one `cdktf` resolves to (cdktn
 * when this suite runs on cdktf, cdktf under `jest.cdktn.config.js`) is refused at the construct
 * with the fix, instead of crashing deep inside the synth.
 */
import * as cdk from 'cdktf';
import { BucketInventory } from '../../src/construct/bucket-inventory';
import { frameworkOfClass } from '../../src/construct/framework-check';

// The real packages, past jest's `cdktf` -> `cdktn` mapping (which matches the bare name only).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realCdktf = require('cdktf/lib/index.js') as typeof cdk;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realCdktn = require('cdktn') as typeof cdk;

const ours = frameworkOfClass(cdk.TerraformStack);
const other = ours?.name === 'cdktn' ? realCdktf : realCdktn;

const props = {
  bucket: 'src-1250000000',
  region: 'ap-guangzhou',
  ownerUin: '100000000001',
  jobs: [{ id: 'daily', destination: { bucket: 'dst-1250000000' } }],
};

describe('framework check', () => {
  it('knows both frameworks by their runtime type information', () => {
    expect(frameworkOfClass(realCdktf.TerraformStack)).toEqual({
      name: 'cdktf',
      version: expect.stringMatching(/^0\.21\./),
    });
    expect(frameworkOfClass(realCdktn.TerraformStack)).toEqual({
      name: 'cdktn',
      version: expect.stringMatching(/^0\.24\./),
    });
    class MyStack extends realCdktn.TerraformStack {}
    expect(frameworkOfClass(MyStack)?.name).toBe('cdktn');
  });

  it('runs on the framework this test run is for', () => {
    expect(ours?.name).toBe(process.env.COS_INVENTORY_TEST_FRAMEWORK ?? 'cdktf');
  });

  it('accepts a stack of the framework cdktf resolves to', () => {
    const stack = new cdk.TerraformStack(new cdk.App(), 'same');
    expect(() => new BucketInventory(stack, 'inv', props)).not.toThrow();
  });

  it('refuses a stack of the other framework, naming both and the fix', () => {
    const stack = new other.TerraformStack(new other.App(), 'other');
    let message = '';
    try {
      new BucketInventory(stack, 'inv', props);
    } catch (error) {
      message = (error as Error).message;
    }
    const theirs = frameworkOfClass(other.TerraformStack);
    expect(message).toContain(`other/inv: the app's stack comes from ${theirs?.name} ${theirs?.version}`);
    expect(message).toContain(`resolved 'cdktf' to ${ours?.name} ${ours?.version}`);
    if (theirs?.name === 'cdktn') expect(message).toContain('"overrides": { "cdktf": "npm:cdktn@0.24.0" }');
    expect(message).toContain('Using it in your own project');
  });
});
