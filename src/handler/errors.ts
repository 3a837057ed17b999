import {
  type AssumedRole,
  ClientConfigError,
  ENV_ENDPOINT,
  ENV_RETRY_BUDGET_MS,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SECURITY_TOKEN,
} from '../cos/client';
import { CosError } from '../cos/errors';
import { CredentialError } from '../credentials/errors';
import { ENV_ASSUME_ROLE_ARN, TOKEN_VARIABLES } from '../credentials/variables';
import { configHint } from './config-hint';

/** Exit status for a failed COS call or a failed verification. */
export const EXIT_FAILURE = 1;
/** Exit status for bad input (verb, spec, query, environment): nothing was sent. */
export const EXIT_USAGE = 2;

/** A failure of our own (bad input, a refused account, a failed run), with its own code and hint. */
export class HandlerError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly exitCode: number;

  constructor(init: { code: string; message: string; hint: string; exitCode?: number }) {
    super(init.message);
    this.name = 'HandlerError';
    this.code = init.code;
    this.hint = init.hint;
    this.exitCode = init.exitCode ?? EXIT_FAILURE;
  }
}

/** What the error line says about where the failure happened. */
export interface ErrorContext {
  readonly verb: string;
  readonly bucket?: string;
  readonly id?: string;
}

/** A failure while acting as another account's role: the error line names that role. */
export class RoleActionError extends Error {
  constructor(
    readonly role: AssumedRole,
    readonly cause: CosError,
  ) {
    super(cause.message);
    this.name = 'RoleActionError';
  }
}

const CREDENTIAL_VARIABLES = `${ENV_SECRET_ID}, ${ENV_SECRET_KEY} (and ${ENV_SECURITY_TOKEN} for temporary keys)`;

/** The CAM action a COS operation needs, e.g. `putBucketInventory` -> `name/cos:PutBucketInventory`. */
export function camAction(operation: string): string {
  return `name/cos:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
}

function cosHint(error: CosError, role?: AssumedRole): string {
  const permission = camAction(error.operation);
  if (role && error.statusCode === 403) {
    return `role ${role.arn} of destination account ${role.account} lacks ${permission} on ${error.bucket}: allow it in account ${role.account}`;
  }
  switch (error.code) {
    case 'SignatureDoesNotMatch':
    case 'InvalidAccessKeyId':
      return `check ${CREDENTIAL_VARIABLES}: cos did not accept the key`;
    case 'ExpiredToken':
    case 'InvalidToken':
      return `the temporary key's token is expired or not its own: export a fresh key with its token (${TOKEN_VARIABLES.join(', ')}), or let cos-inventory assume the role itself (${ENV_ASSUME_ROLE_ARN}, renewed before expiry)`;
    case 'RequestTimeTooSkewed':
      return 'the local clock differs from cos by more than 15 minutes: synchronize it';
    case 'NoSuchBucket':
      return `check the bucket name and region: bucket ${error.bucket} does not exist there`;
    case 'InventoryFull':
      return 'a bucket holds at most 1000 inventory jobs: remove unused ones';
    case 'InvalidArgument':
    case 'MalformedXML':
    case 'MalformedPolicy':
      return 'cos rejected the request body: check the fields of the configuration or statement';
    default:
      break;
  }
  if (error.statusCode === 403) {
    return `check ${CREDENTIAL_VARIABLES} and that the key is allowed ${permission} on ${error.bucket}`;
  }
  if (error.statusCode === undefined && /^E[A-Z_]+$/.test(error.code)) {
    return `cos could not be reached (${error.code}): check the network and ${ENV_ENDPOINT} if set; raise ${ENV_RETRY_BUDGET_MS} to keep retrying longer`;
  }
  if (error.statusCode !== undefined && (error.statusCode === 429 || error.statusCode >= 500)) {
    return `cos kept failing with ${error.statusCode}: retry later or raise ${ENV_RETRY_BUDGET_MS}`;
  }
  return 'see the cos error code reference at https://cloud.tencent.com/document/product/436/7730';
}

/**
 * Shorter values are not real keys (COS secret keys are 32 characters); replacing them would
 * garble every message without protecting anything.
 */
export const MIN_REDACTED_LENGTH = 8;

/** Removes every secret from text that is about to be printed. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_REDACTED_LENGTH) result = result.split(secret).join('[redacted]');
  }
  return result;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * `cos-inventory <verb>: bucket=<b> id=<id> code=<code> request-id=<rid>: <message>; hint: <hint>`,
 * one line, with every secret removed.
 */
export function formatErrorLine(context: ErrorContext, error: unknown, secrets: readonly string[]): string {
  let code: string;
  let message: string;
  let hint: string;
  let requestId = '-';
  const role = error instanceof RoleActionError ? error.role : undefined;
  const cause = error instanceof RoleActionError ? error.cause : error;
  if (cause instanceof CosError) {
    code = cause.code;
    message = `${cause.operation} failed: ${cause.message}`;
    hint = cosHint(cause, role);
    requestId = cause.requestId ?? '-';
  } else if (cause instanceof CredentialError) {
    code = cause.code;
    message = cause.message;
    hint = cause.fix;
  } else if (error instanceof HandlerError) {
    code = error.code;
    message = error.message;
    hint = error.hint;
  } else if (error instanceof ClientConfigError) {
    code = 'InvalidEnvironment';
    message = error.message;
    hint = configHint(error);
  } else {
    code = 'InternalError';
    message = error instanceof Error ? error.message : String(error);
    hint = 'this is a bug in cos-inventory: please report it with this line';
  }
  const line =
    `cos-inventory ${context.verb}: bucket=${context.bucket || '-'} id=${context.id || '-'} ` +
    `code=${code} request-id=${requestId}: ${oneLine(message)}; hint: ${oneLine(hint)}`;
  return redact(line, secrets);
}

/** Exit status for an error: usage problems are 2, everything else 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof HandlerError) return error.exitCode;
  if (error instanceof ClientConfigError) return EXIT_USAGE;
  if (error instanceof CredentialError) return error.exitCode;
  return EXIT_FAILURE;
}
