import { parseEndpoint } from '../cos/client';
import { ENV_METADATA_ENDPOINT, ENV_STS_ENDPOINT } from './variables';

/** Where the chain sends its STS and metadata requests. */
export interface ServiceEndpoints {
  /** Base URL of STS (`https://sts.tencentcloudapi.com`, or a stand-in's `http://HOST:PORT`). */
  readonly sts: string;
  /** Base URL of the CVM metadata service. */
  readonly metadata: string;
}

/** The `Host` STS requests carry and sign, whatever address they are sent to. */
export const STS_HOST = 'sts.tencentcloudapi.com';
export const DEFAULT_STS_URL = `https://${STS_HOST}`;
export const DEFAULT_METADATA_URL = 'http://metadata.tencentyun.com';

function endpoint(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = parseEndpoint(value, name);
  return `${parsed.protocol}//${parsed.hostPort}`;
}

/** Reads COS_INVENTORY_STS_ENDPOINT and COS_INVENTORY_METADATA_ENDPOINT, validated like COS_INVENTORY_ENDPOINT. */
export function serviceEndpoints(env: NodeJS.ProcessEnv): ServiceEndpoints {
  return {
    sts: endpoint(env, ENV_STS_ENDPOINT, DEFAULT_STS_URL),
    metadata: endpoint(env, ENV_METADATA_ENDPOINT, DEFAULT_METADATA_URL),
  };
}
