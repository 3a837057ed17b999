// The `cdktf-cos-inventory/cos` entry: a COS client from explicit settings, the environment or
// the credential chain (what the report reader takes) and its errors. The typed SDK wrappers
// stay internal.
export {
  ClientConfigError,
  createCosClient,
  credentialsFromEnv,
  DEFAULT_TIMEOUT_MS,
  ENV_ENDPOINT,
  ENV_RETRY_BUDGET_MS,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SECURITY_TOKEN,
  ENV_TIMEOUT_MS,
  type CosClient,
  type CosClientConfig,
} from './client';
export { CosError } from './errors';
export { createChainClient } from './chain-client';
export { CredentialChain, type CredentialChainOptions } from '../credentials/credential-chain';
export { CredentialError } from '../credentials/errors';
