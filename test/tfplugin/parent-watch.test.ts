import { watchParent } from '../../src/tfplugin';

describe('watchParent', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('calls onOrphaned once when the parent process changes, not before', () => {
    let parent = 4242;
    const onOrphaned = jest.fn();
    watchParent({ onOrphaned, intervalMs: 1000, parentPid: () => parent });
    jest.advanceTimersByTime(5000);
    expect(onOrphaned).not.toHaveBeenCalled();
    parent = 1;
    jest.advanceTimersByTime(1000);
    expect(onOrphaned).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(5000);
    expect(onOrphaned).toHaveBeenCalledTimes(1);
  });

  test('stopped, it no longer watches', () => {
    let parent = 4242;
    const onOrphaned = jest.fn();
    const stop = watchParent({ onOrphaned, parentPid: () => parent });
    stop();
    parent = 1;
    jest.advanceTimersByTime(10_000);
    expect(onOrphaned).not.toHaveBeenCalled();
  });
});
