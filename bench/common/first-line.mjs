/**
 * Plugin starts: Terraform's handshake environment, node's own start as the baseline, and the
 * time from spawn to the first stdout line (the go-plugin handshake Terraform waits for).
 */
import { spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { requireFromRoot } from './paths.mjs';

/** go-plugin's handshake line: core protocol 1, plugin protocol 6, TCP on localhost, gRPC, the certificate. */
const HANDSHAKE = /^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]{50,}$/;

/** Throws unless `line` is a provider's handshake line. */
export function expectHandshake(line) {
  if (!HANDSHAKE.test(line))
    throw new Error(`the provider printed no handshake line: ${JSON.stringify(line)}`);
}

/**
 * Writes the baseline to `path`: the providers' wrapper shape (sh exec'ing node) with `node -e`
 * printing one handshake-shaped line, which times node's own start.
 */
export function writeNodeLineBaseline(path) {
  writeFileSync(
    path,
    `#!/bin/sh\nexec '${process.execPath}' -e "process.stdout.write('1|6|tcp|127.0.0.1:1|grpc|\\\\n')"\n`,
  );
  chmodSync(path, 0o755);
}

/**
 * Terraform's handshake environment for a plugin (magic cookie, a fresh client certificate,
 * the protocol versions) and that certificate, for a client dialing the plugin.
 */
export function handshakeEnvironment() {
  const { generateServerCertificate, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, CLIENT_CERT_KEY } =
    requireFromRoot('./lib/tfplugin/index.js');
  const clientCertificate = generateServerCertificate();
  return {
    clientCertificate,
    env: {
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      [CLIENT_CERT_KEY]: clientCertificate.certificatePem,
      PLUGIN_PROTOCOL_VERSIONS: '5,6',
    },
  };
}

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
