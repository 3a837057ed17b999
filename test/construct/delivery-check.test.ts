import { dailyInventory, newStack, synth } from './helpers';

function declare(props: { deliveryCheck?: boolean; driftCheck?: boolean }) {
  const { stack } = newStack();
  dailyInventory(stack, props);
  return stack;
}

describe('BucketInventory deliveryCheck', () => {
  test('off by default: the query and the asserts are those of the drift check alone', () => {
    const check = synth(declare({})).check!.logs_drift;
    expect(check.data.external.logs_drift.query.delivery_check).toBeUndefined();
    expect(check.assert).toHaveLength(2);
  });

  test('on: the read is asked for verdicts and a third assert warns with its message', () => {
    const check = synth(declare({ deliveryCheck: true })).check!.logs_drift;
    expect(check.data.external.logs_drift.query.delivery_check).toBe('true');
    expect(check.assert).toHaveLength(3);
    expect(check.assert[2]).toEqual({
      condition: '${data.external.logs_drift.result.delivery_ok == "true"}',
      error_message: '${data.external.logs_drift.result.delivery_message}',
    });
  });

  test('without the drift check it is an error naming the prop', () => {
    expect(() => synth(declare({ deliveryCheck: true, driftCheck: false }))).toThrow(
      /\[test\/logs\] deliveryCheck: needs driftCheck: the delivery verdicts are warnings of its check block \(received true\)/,
    );
  });
});
