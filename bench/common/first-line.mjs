/** Times a plugin's start: spawn to its first stdout line, the go-plugin handshake Terraform waits for. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Spawns `executable` (no arguments, as Terraform starts a plugin) and resolves
 * `{ ms, line, child }` at its first stdout line: milliseconds from spawn, the line, and the
 * still-running process (killed at once unless `keep` is set).
 */
export function timeToFirstLine(executable, env, { keep = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(executable, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
      if (answered || !stdout.includes('\n')) return;
      answered = true;
      const ms = performance.now() - started;
      if (!keep) child.kill('SIGKILL');
      resolve({ ms, line: stdout.split('\n')[0], child });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!answered) reject(new Error(`${executable} exited ${code} before a line: ${stderr.trim()}`));
    });
  });
}
