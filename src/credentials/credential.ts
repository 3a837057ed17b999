/** A key pair, temporary when it carries a token and an expiry. */
export interface Credential {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string;
  /** When a temporary key stops working, in milliseconds since the epoch. */
  readonly expiresAtMs?: number;
  /** Which step of the chain produced it, e.g. `profile "ci"` or `assume role (TENCENTCLOUD_ASSUME_ROLE_ARN)`. */
  readonly source: string;
}

/** Every value of a credential that must never be printed. */
export function secretValues(credential: Credential): string[] {
  return [credential.secretKey, ...(credential.token ? [credential.token] : [])];
}
