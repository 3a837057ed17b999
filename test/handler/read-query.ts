/**
 * The drift read in process, as `cos-inventory drift` runs it for one stack query: the query
 * parsed (`parseReadQuery`), one client over the credential chain from `env`, `readInventory`,
 * and on failure the one error line and exit status the CLI prints.
 */
import { createChainClient } from '../../src/cos/chain-client';
import { CredentialChain, environmentSecrets } from '../../src/credentials/credential-chain';
import { exitCodeFor, formatErrorLine } from '../../src/handler/errors';
import { readInventory } from '../../src/handler/read';
import { parseReadQuery, type ReadQuery } from '../../src/handler/spec';
import { TestClock } from '../kit';

export interface ReadRun {
  readonly code: number;
  /** The answer as JSON text, '' on failure. */
  readonly stdout: string;
  /** The error line, '' on success. */
  readonly stderr: string;
}

export async function runRead(queryText: string, env: Readonly<Record<string, string>>): Promise<ReadRun> {
  const secrets = environmentSecrets(env);
  let query: ReadQuery | undefined;
  try {
    query = parseReadQuery('drift', queryText);
    const clock = new TestClock();
    const chain = new CredentialChain({ env, secrets, now: () => clock.now() });
    const client = await createChainClient(env, chain, clock);
    return { code: 0, stdout: JSON.stringify(await readInventory(client, query)), stderr: '' };
  } catch (error) {
    let bucket = query?.bucket;
    if (bucket === undefined) {
      try {
        const raw = JSON.parse(queryText) as { bucket?: unknown };
        if (typeof raw.bucket === 'string') bucket = raw.bucket;
      } catch {
        // The line says the query is not json.
      }
    }
    return {
      code: exitCodeFor(error),
      stdout: '',
      stderr: formatErrorLine({ verb: 'drift', bucket }, error, secrets),
    };
  }
}
