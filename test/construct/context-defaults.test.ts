import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';
import { CONTEXT_KEYS } from '../../src/construct/context-defaults';
import { dailyInventory, synth, type Synthesized } from './helpers';

type Switches = { driftCheck?: boolean; deliveryCheck?: boolean; reportOutputs?: boolean };

function declare(context: Record<string, unknown>, props: Switches = {}): TerraformStack {
  const stack = new TerraformStack(Testing.app({ context }), 'test');
  dailyInventory(stack, props);
  return stack;
}

describe('stack-wide defaults from the cdktf context', () => {
  test('the keys are those the README documents', () => {
    expect(CONTEXT_KEYS).toEqual({
      driftCheck: 'cdktf-cos-inventory:driftCheck',
      deliveryCheck: 'cdktf-cos-inventory:deliveryCheck',
      reportOutputs: 'cdktf-cos-inventory:reportOutputs',
    });
  });

  test('driftCheck false in the context leaves no check block and no external provider', () => {
    const out = synth(declare({ 'cdktf-cos-inventory:driftCheck': false }));
    expect(out.check).toBeUndefined();
    expect(out.terraform?.required_providers?.external).toBeUndefined();
  });

  test('a prop wins over the context', () => {
    const out = synth(declare({ 'cdktf-cos-inventory:driftCheck': false }, { driftCheck: true }));
    expect(Object.keys(out.check ?? {})).toEqual(['logs_drift']);
    const off = synth(declare({ 'cdktf-cos-inventory:reportOutputs': true }, { reportOutputs: false }));
    expect(off.output).toBeUndefined();
  });

  test('deliveryCheck true in the context asks the read for verdicts', () => {
    const out = synth(declare({ 'cdktf-cos-inventory:deliveryCheck': true }));
    expect(out.check!.logs_drift.data.external.logs_drift.query.delivery_check).toBe('true');
  });

  test('deliveryCheck from the context applies only where a drift check is, without an error', () => {
    const out = synth(declare({ 'cdktf-cos-inventory:deliveryCheck': true }, { driftCheck: false }));
    expect(out.check).toBeUndefined();
  });

  test('deliveryCheck set on a construct whose drift check the context turns off is an error', () => {
    expect(() =>
      synth(declare({ 'cdktf-cos-inventory:driftCheck': false }, { deliveryCheck: true })),
    ).toThrow(
      /\[test\/logs\] deliveryCheck: needs driftCheck: the delivery verdicts are warnings of its check block/,
    );
  });

  test('reportOutputs false in the context leaves no outputs', () => {
    expect(synth(declare({})).output).toBeDefined();
    expect(synth(declare({ 'cdktf-cos-inventory:reportOutputs': false })).output).toBeUndefined();
  });

  test('string values as the command line passes them are read too', () => {
    expect(synth(declare({ 'cdktf-cos-inventory:driftCheck': 'false' })).check).toBeUndefined();
  });

  test('a value that is no boolean is a synth error naming the key', () => {
    expect(() => synth(declare({ 'cdktf-cos-inventory:driftCheck': 'no' }))).toThrow(
      /\[test\/logs\] context cdktf-cos-inventory:driftCheck: must be true or false \(received "no"\)/,
    );
  });

  test('app.synth() reads the context cdktf.json passes in CDKTF_CONTEXT_JSON', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'context-'));
    const previous = process.env.CDKTF_CONTEXT_JSON;
    process.env.CDKTF_CONTEXT_JSON = JSON.stringify({ 'cdktf-cos-inventory:driftCheck': false });
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
        expect(stack.check).toBeUndefined();
        expect(Object.keys(stack.resource.terraform_data).length).toBeGreaterThan(0);
      }
    } finally {
      if (previous === undefined) delete process.env.CDKTF_CONTEXT_JSON;
      else process.env.CDKTF_CONTEXT_JSON = previous;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
