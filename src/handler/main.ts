import { createChainClient } from '../cos/chain-client';
import type { CosClient } from '../cos/client';
import { systemClock, type Clock } from '../cos/retry';
import { reportingRetries } from '../cos/retry-notice';
import { CredentialChain, environmentSecrets } from '../credentials/credential-chain';
import type { HttpRequester } from '../credentials/http';
import { chainAccess, checkAccount } from './access';
import { EXIT_USAGE, exitCodeFor, formatErrorLine, redact } from './errors';
import { SPEC_VARIABLE } from './spec';
import { VERBS, type VerbTarget } from './verbs';

/** Streams the process talks to; replaceable so the entry logic stays testable. */
export interface HandlerIo {
  readonly env: NodeJS.ProcessEnv;
  /** Sends the STS and metadata requests of the credential chain. @default node:http/https */
  readonly requester?: HttpRequester;
  readStdin(): Promise<string>;
  writeStdout(text: string): void;
  writeStderr(text: string): void;
  /**
   * What retries, read-backs and policy edits wait with, and the time temporary keys are renewed
   * by; default the system clock.
   */
  readonly clock?: Clock;
}

function bestEffortTarget(text: string | undefined): Partial<VerbTarget> {
  // Used only when the input is rejected: name the bucket if it can be seen at all.
  try {
    const raw: unknown = JSON.parse(text ?? '');
    if (typeof raw === 'object' && raw !== null && 'bucket' in raw && typeof raw.bucket === 'string') {
      return { bucket: raw.bucket.slice(0, 100) };
    }
  } catch {
    // The error line already says the input is not JSON.
  }
  return {};
}

/** Runs one verb; returns the exit status. Never throws. */
export async function runHandler(args: readonly string[], io: HandlerIo): Promise<number> {
  const verb = args[0] ?? '';
  // Grows with every temporary key the chain obtains.
  const secrets = environmentSecrets(io.env);
  const definition = Object.prototype.hasOwnProperty.call(VERBS, verb) ? VERBS[verb] : undefined;
  if (!definition) {
    io.writeStderr(
      redact(
        `cos-inventory: unknown verb ${JSON.stringify(verb)}: expected one of ${Object.keys(VERBS).join(', ')}; usage: node handler.js <verb> with the input in ${SPEC_VARIABLE} (read: on stdin)\n`,
        secrets,
      ),
    );
    return EXIT_USAGE;
  }
  let text: string | undefined;
  let target: Partial<VerbTarget> = {};
  try {
    text = definition.input === 'stdin' ? await io.readStdin() : io.env[SPEC_VARIABLE];
    target = bestEffortTarget(text);
    const prepared = definition.prepare(verb, text);
    target = prepared.target;
    const clock = io.clock ?? systemClock;
    const chain = new CredentialChain({
      env: io.env,
      secrets,
      now: () => clock.now(),
      ...(io.requester ? { requester: io.requester } : {}),
    });
    const announce = (cosClient: CosClient): CosClient =>
      reportingRetries(cosClient, `cos-inventory ${verb}`, (line) => io.writeStderr(redact(line, secrets)));
    const client = announce(await createChainClient(io.env, chain, clock));
    if (prepared.allowedAccountIds) await checkAccount(chain, prepared.allowedAccountIds);
    const output = await prepared.run(client, io.env, chainAccess(io.env, chain, announce, clock));
    io.writeStdout(`${redact(output, secrets)}\n`);
    return 0;
  } catch (error) {
    io.writeStderr(`${formatErrorLine({ verb, ...target }, error, secrets)}\n`);
    return exitCodeFor(error);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

if (require.main === module) {
  void runHandler(process.argv.slice(2), {
    env: process.env,
    readStdin: () => readAll(process.stdin),
    writeStdout: (text) => process.stdout.write(text),
    writeStderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
