/**
 * The one error type the SDK layer throws: every failure of a COS call, whatever the SDK
 * reported, becomes a `CosError` naming the operation and bucket so callers can print one
 * precise line without inspecting SDK internals.
 */
export class CosError extends Error {
  /** COS error code (`NoSuchBucket`, `AccessDenied`, ...), the HTTP status as a string, or a network code. */
  readonly code: string;
  /** HTTP status, absent for network failures and timeouts. */
  readonly statusCode: number | undefined;
  /** `x-cos-request-id` of the failing response when COS sent one. */
  readonly requestId: string | undefined;
  /** The SDK operation, e.g. `putBucketInventory`. */
  readonly operation: string;
  readonly bucket: string;

  constructor(init: {
    code: string;
    message: string;
    statusCode?: number;
    requestId?: string;
    operation: string;
    bucket: string;
  }) {
    super(init.message);
    this.name = 'CosError';
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.operation = init.operation;
    this.bucket = init.bucket;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Turns whatever the SDK rejected with into a `CosError`. The SDK rewrites some codes
 * (`NoSuchPolicy` becomes `'404'`), so the XML `Error/Code` wins over `err.code`.
 */
export function toCosError(raw: unknown, operation: string, bucket: string): CosError {
  if (raw instanceof CosError) return raw;
  if (!isRecord(raw)) {
    return new CosError({ code: 'UnknownError', message: String(raw), operation, bucket });
  }
  const body = isRecord(raw.error) ? raw.error : undefined;
  const headers = isRecord(raw.headers) ? raw.headers : undefined;
  const statusCode = typeof raw.statusCode === 'number' ? raw.statusCode : undefined;
  const code =
    (body && stringField(body, 'Code')) ??
    stringField(raw, 'code') ??
    (statusCode !== undefined ? String(statusCode) : 'NetworkError');
  const message =
    (body && stringField(body, 'Message')) ??
    stringField(raw, 'message') ??
    (statusCode !== undefined ? `http status ${statusCode}` : 'request failed');
  const requestId =
    stringField(raw, 'RequestId') ??
    (headers && stringField(headers, 'x-cos-request-id')) ??
    (body && stringField(body, 'RequestId'));
  return new CosError({ code, message, statusCode, requestId, operation, bucket });
}
