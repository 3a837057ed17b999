import { Credentials } from './types';

/**
 * The key pair the endpoint accepts when none is configured. It is public and only ever
 * valid against a local endpoint.
 */
export const DEFAULT_CREDENTIALS: Credentials = Object.freeze({
  secretId: 'AKIDLOCALCOSEMULATOR0000000000000000',
  secretKey: 'localcosemulatorsecretkey0000000',
});
