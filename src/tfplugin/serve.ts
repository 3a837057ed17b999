/**
 * The entry point of a provider executable: checks the handshake environment, starts the
 * server, prints the handshake line, and exits after Terraform's Shutdown.
 */
import { appendFileSync } from 'node:fs';
import { checkHandshakeEnvironment, CLIENT_CERT_KEY, HandshakeError } from './handshake';
import { watchParent } from './parent-watch';
import type { ProviderDefinition } from './provider';
import { startPluginServer, type PluginServer } from './server';

/** Appends each RPC's method name to this file: what Terraform asked, for measurements and tests. */
export const CALL_LOG_KEY = 'TFPLUGIN_CALL_LOG';

export interface ServeIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Serves `provider` as go-plugin expects. Returns the running server (its `stopped` settles
 * on Shutdown), or `undefined` after writing why it cannot run to stderr (no magic cookie).
 */
export async function servePlugin(
  provider: ProviderDefinition,
  io: ServeIo,
): Promise<PluginServer | undefined> {
  try {
    checkHandshakeEnvironment(io.env);
  } catch (error) {
    if (!(error instanceof HandshakeError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return undefined;
  }
  const callLog = io.env[CALL_LOG_KEY];
  const server = await startPluginServer(provider, {
    clientCertificatePem: io.env[CLIENT_CERT_KEY] || undefined,
    onCall: callLog ? (method) => appendFileSync(callLog, `${process.pid} ${method}\n`) : undefined,
  });
  io.stdout.write(`${server.handshake}\n`);
  return server;
}

/** `main` of a provider executable: exit 1 without the cookie, 0 after Shutdown. */
export async function runPluginProcess(provider: ProviderDefinition): Promise<void> {
  // Ctrl-C reaches the whole process group; Terraform decides when its plugins stop (as go-plugin servers do).
  process.on('SIGINT', () => undefined);
  let server: PluginServer | undefined;
  try {
    server = await servePlugin(provider, {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } catch (error) {
    process.stderr.write(
      `provider plugin failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  if (!server) {
    process.exitCode = 1;
    return;
  }
  const stopWatching = watchParent({
    onOrphaned: () => {
      process.stderr.write('provider plugin: terraform is gone, exiting\n');
      process.exit(1);
    },
  });
  await server.stopped;
  stopWatching();
  process.exit(0);
}
