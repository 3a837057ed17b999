/**
 * This process's peak resident set size, in KiB.
 *
 * On Linux `process.resourceUsage().maxRSS` of a spawned child starts from its PARENT's RSS:
 * libuv forks, the fork is a copy of the parent, and the kernel keeps that copy's high-water
 * mark across exec. A child of a bench holding a 200 MiB emulator would report 200 MiB however
 * little it used. `/proc/self/status` `VmHWM` is the high-water mark of this program's own
 * memory map, so it is read instead where it exists.
 */
import { readFileSync } from 'node:fs';

export function peakRssKiB() {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS;
}
