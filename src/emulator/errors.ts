/** A COS error answer: HTTP status, COS error code and message. */
export class CosError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CosError';
  }
}

export const invalidArgument = (message: string): CosError => new CosError(400, 'InvalidArgument', message);
