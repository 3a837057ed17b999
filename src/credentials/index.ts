export { CredentialChain, environmentSecrets, type CredentialChainOptions } from './credential-chain';
export { type Credential } from './credential';
export { CredentialError } from './errors';
export { RefreshingCredentials } from './refreshing-credentials';
export { type CallerIdentity, StsError } from './sts-client';
export { type HttpRequester, type HttpExchange, type HttpAnswer } from './http';
export { type FileReader } from './files';
export * from './variables';
