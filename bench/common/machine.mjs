/** What the figures were measured on. */
import { cpus, totalmem, platform, release } from 'node:os';

export function machineDescription() {
  const list = cpus();
  return {
    cpu: list[0]?.model?.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}
