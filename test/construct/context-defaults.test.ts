import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';
import { CONTEXT_KEYS } from '../../src/construct/context-defaults';
import { dailyInventory, jobsOf, synth, warningsOf, type Synthesized } from './helpers';

type Switches = { driftCheck?: boolean; deliveryCheck?: boolean; reportOutputs?: boolean };

function declare(context: Record<string, unknown>, props: Switches = {}): TerraformStack {
  const stack = new TerraformStack(Testing.app({ context }), 'test');
  dailyInventory(stack, props);
  return stack;
}

const DRIFT_DEPRECATED =
  '[test/logs] driftCheck is deprecated and ignored: drift is now an ordinary refresh difference in terraform plan ' +
  '(the provider reads every job); remove the prop or the context key cdktf-cos-inventory:driftCheck';

describe('stack-wide defaults from the cdktf context', () => {
  test('the keys are those the README documents', () => {
    expect(CONTEXT_KEYS).toEqual({
      driftCheck: 'cdktf-cos-inventory:driftCheck',
      deliveryCheck: 'cdktf-cos-inventory:deliveryCheck',
      reportOutputs: 'cdktf-cos-inventory:reportOutputs',
    });
  });

  test('driftCheck in the context is accepted, warned about as deprecated, and changes nothing', () => {
    const off = declare({ 'cdktf-cos-inventory:driftCheck': false });
    const on = declare({});
    expect(synth(off)).toEqual(synth(on));
    expect(warningsOf(off)).toEqual([DRIFT_DEPRECATED]);
    expect(warningsOf(on)).toEqual([]);
  });

  test('a prop wins over the context', () => {
    const off = synth(declare({ 'cdktf-cos-inventory:reportOutputs': true }, { reportOutputs: false }));
    expect(off.output).toBeUndefined();
  });

  test('reportOutputs false in the context leaves no outputs', () => {
    expect(synth(declare({})).output).toBeDefined();
    expect(synth(declare({ 'cdktf-cos-inventory:reportOutputs': false })).output).toBeUndefined();
  });

  test('string values as the command line passes them are read too', () => {
    expect(synth(declare({ 'cdktf-cos-inventory:reportOutputs': 'false' })).output).toBeUndefined();
  });

  test('a value that is no boolean is a synth error naming the key', () => {
    expect(() => synth(declare({ 'cdktf-cos-inventory:driftCheck': 'no' }))).toThrow(
      /\[test\/logs\] context cdktf-cos-inventory:driftCheck: must be true or false \(received "no"\)/,
    );
  });

  test('app.synth() reads the context cdktf.json passes in CDKTF_CONTEXT_JSON', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'context-'));
    const previous = process.env.CDKTF_CONTEXT_JSON;
    process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ 'cdktf-cos-inventory:reportOutputs': false });
    try {
      const app = new App({ outdir });
      for (const name of ['a', 'b']) {
        dailyInventory(new TerraformStack(app, name));
      }
      app.synth();
      for (const name of ['a', 'b']) {
        const stack = JSON.parse(
          readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
        ) as Synthesized;
        expect(stack.output).toBeUndefined();
        expect(Object.keys(jobsOf(stack))).toEqual(['logs_job_daily']);
      }
    } finally {
      if (previous === undefined) delete process.env.CDKTF_CONTEXT_JSON;
      else process.env.CDKTF_CONTEXT_JSON = previous;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
