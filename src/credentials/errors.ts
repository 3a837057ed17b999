/**
 * A credential source that could not give a key: names the source tried and what to fix.
 * `exitCode` 2 when nothing was sent (configuration), 1 when a service refused.
 */
export class CredentialError extends Error {
  readonly code: string;
  readonly source: string;
  readonly fix: string;
  readonly exitCode: number;

  constructor(init: { code: string; source: string; message: string; fix: string; exitCode?: number }) {
    super(`${init.source}: ${init.message}`);
    this.name = 'CredentialError';
    this.code = init.code;
    this.source = init.source;
    this.fix = init.fix;
    this.exitCode = init.exitCode ?? 2;
  }
}
