// One cold start of the credential chain with env keys only, as a provider process pays it:
// loading the chain's code (bundled like dist/provider.js, path in argv[2]; argv[3] an empty
// module loaded first), then resolving the credential.
// Prints {requireMs, resolveMs} as JSON.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The provider has loaded its loader before the chain runs: warm the CommonJS loader alike.
require(process.argv[3]);
const t0 = process.hrtime.bigint();
const { CredentialChain } = require(process.argv[2]);
const t1 = process.hrtime.bigint();
await new CredentialChain({ env: process.env }).current();
const t2 = process.hrtime.bigint();
const ms = (a, b) => Number(b - a) / 1e6;
process.stdout.write(`${JSON.stringify({ requireMs: ms(t0, t1), resolveMs: ms(t1, t2) })}\n`);
