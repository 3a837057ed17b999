/**
 * A foreground server whose starter is killed (an `npx` wrapper, a test runner) is re-parented
 * and would serve on, holding its port. Node has no event for that, so the parent's pid is
 * looked at every second: when it changes, the starter is gone.
 */

export const PARENT_WATCH_INTERVAL_MS = 1000;

export interface ParentWatchOptions {
  readonly intervalMs?: number;
  /** The current parent pid (default `process.ppid`, which Node reads afresh each time). */
  readonly ppid?: () => number;
  /** Replaceable in tests: runs `tick` every `ms`, returns the cancel. */
  readonly every?: (tick: () => void, ms: number) => () => void;
}

function everyUnref(tick: () => void, ms: number): () => void {
  // Unref'd: the watch alone never keeps the process alive.
  const timer = setInterval(tick, ms).unref();
  return () => clearInterval(timer);
}

/** Calls `onGone(pid of the parent that went)` once when the parent changes; returns the cancel. */
export function onParentExit(
  onGone: (parentPid: number) => void,
  options: ParentWatchOptions = {},
): () => void {
  const ppid = options.ppid ?? (() => process.ppid);
  const parent = ppid();
  let cancel = (): void => undefined;
  cancel = (options.every ?? everyUnref)(() => {
    if (ppid() === parent) return;
    cancel();
    onGone(parent);
  }, options.intervalMs ?? PARENT_WATCH_INTERVAL_MS);
  return () => cancel();
}
