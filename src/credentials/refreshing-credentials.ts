import type { Credential } from './credential';

/** Renew at most this long before expiry... */
const MAX_REFRESH_MARGIN_MS = 300_000;
/** ...and at least a quarter of the key's lifetime before (a 20 s key is renewed after 15 s). */
const MARGIN_SHARE = 0.25;

/**
 * A credential kept current: `current()` resolves it once, then again when a temporary key
 * nears its expiry (by the injected clock). Concurrent callers share one renewal.
 */
export class RefreshingCredentials {
  private value?: Credential;
  private refreshAtMs = 0;
  private pending?: Promise<Credential>;

  constructor(
    private readonly resolveCredential: () => Promise<Credential>,
    private readonly now: () => number,
  ) {}

  /** The credential last resolved, if any (what the SDK's `getAuthorization` hands out). */
  public cached(): Credential | undefined {
    return this.value;
  }

  /** A credential valid for a while yet, renewing it first when due. */
  public current(): Promise<Credential> {
    if (this.value && (this.value.expiresAtMs === undefined || this.now() < this.refreshAtMs)) {
      return Promise.resolve(this.value);
    }
    if (!this.pending) {
      const obtainedAt = this.now();
      this.pending = this.resolveCredential()
        .then((credential) => {
          this.value = credential;
          if (credential.expiresAtMs !== undefined) {
            const lifetime = Math.max(0, credential.expiresAtMs - obtainedAt);
            this.refreshAtMs =
              credential.expiresAtMs - Math.min(MAX_REFRESH_MARGIN_MS, lifetime * MARGIN_SHARE);
          }
          return credential;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}
