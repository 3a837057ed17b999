/** Runs measurements in fresh child processes, so each starts from a cold module cache and heap. */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/**
 * Runs `argv` and resolves `{ code, stdout, stderr, wallMs }`; wall time is from spawn to exit as
 * seen by this process. Never rejects for a non-zero exit: the caller decides.
 */
export function runChild(argv, { env = process.env, input = '', cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/**
 * Runs a node script (with `options.nodeArgs` before it) that prints one JSON object as its last
 * stdout line; returns that object with wallMs.
 */
export async function runJsonChild(script, args = [], options = {}) {
  const result = await runChild([process.execPath, ...(options.nodeArgs ?? []), script, ...args], options);
  if (result.code !== 0) {
    throw new Error(
      `${script} ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  const last = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ...JSON.parse(last), wallMs: result.wallMs };
  } catch {
    throw new Error(
      `${script} ${args.join(' ')} printed no json result: ${JSON.stringify(last.slice(0, 200))}`,
    );
  }
}
