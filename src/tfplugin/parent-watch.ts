/**
 * Ends a plugin whose Terraform is gone. Terraform stops its plugins with Shutdown and then
 * kills them; a Terraform killed itself (or a test runner that gave up) would leave the
 * plugin's gRPC server listening forever. Orphaned, a process is given a new parent.
 */

export interface ParentWatchOptions {
  /** Called once when the parent process changed. */
  readonly onOrphaned: () => void;
  /** @default 1000 */
  readonly intervalMs?: number;
  /** @default () => process.ppid */
  readonly parentPid?: () => number;
}

/** Starts watching; returns the function that stops it. The timer never keeps the process alive. */
export function watchParent(options: ParentWatchOptions): () => void {
  const parentPid = options.parentPid ?? (() => process.ppid);
  const original = parentPid();
  const timer = setInterval(() => {
    if (parentPid() === original) return;
    clearInterval(timer);
    options.onOrphaned();
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
