import type { InventoryRow } from '../../src/report/row';
import { RowIterator } from '../../src/report/row-iterator';

const row = (key: string): InventoryRow => ({ Key: key });

async function* batches(log: string[], failAfter?: number): AsyncGenerator<readonly InventoryRow[], void> {
  try {
    const all = [['a', 'b'], [], ['c'], ['d', 'e', 'f']];
    for (const [index, keys] of all.entries()) {
      if (index === failAfter) throw new Error('broken batch');
      // A real pause between batches, as a download gives.
      await new Promise((resolve) => setImmediate(resolve));
      yield keys.map(row);
    }
  } finally {
    log.push('cleaned up');
  }
}

describe('RowIterator', () => {
  it('hands out every row in order, empty batches skipped', async () => {
    const log: string[] = [];
    const keys: string[] = [];
    for await (const each of new RowIterator(batches(log))) keys.push(each.Key);
    expect(keys).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(log).toEqual(['cleaned up']);
  });

  it('serves next() calls made at once in order', async () => {
    const iterator = new RowIterator(batches([]));
    const steps = await Promise.all(Array.from({ length: 8 }, () => iterator.next()));
    expect(steps.map((step) => (step.done ? 'done' : step.value.Key))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'done',
      'done',
    ]);
  });

  it('runs the cleanup when the reader stops early', async () => {
    const log: string[] = [];
    const keys: string[] = [];
    for await (const each of new RowIterator(batches(log))) {
      keys.push(each.Key);
      if (each.Key === 'c') break;
    }
    expect(keys).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['cleaned up']);
  });

  it('passes on a failure after the rows before it', async () => {
    const log: string[] = [];
    const keys: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const each of new RowIterator(batches(log, 2))) keys.push(each.Key);
    };
    await expect(iterate()).rejects.toThrow('broken batch');
    expect(keys).toEqual(['a', 'b']);
    expect(log).toEqual(['cleaned up']);
  });

  it('throws into the batches and ends', async () => {
    const log: string[] = [];
    const iterator = new RowIterator(batches(log));
    await iterator.next();
    await expect(iterator.throw(new Error('stop'))).rejects.toThrow('stop');
    expect(log).toEqual(['cleaned up']);
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
