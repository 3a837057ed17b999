import type { InventoryConfiguration } from '../model/configuration';
import { isValidBucketName, isValidRegion } from '../model/bucket';
import { describeValue, formatProblem } from '../model/problem';
import { validateConfiguration } from '../model/validate';
import { EXIT_USAGE, HandlerError } from './errors';

/**
 * The drift query of a stack: the bucket, its declared configurations and their resource
 * addresses, as the CLI's drift command reads them from a synthesized stack. Values arrive as
 * strings (two of them JSON-encoded), so every field is checked here.
 */
export const READ_QUERY_SOURCE = 'query';

export interface BucketSpec {
  readonly bucket: string;
  readonly region: string;
}
export interface ReadQuery extends BucketSpec {
  readonly configurations: readonly InventoryConfiguration[];
  /** Job id -> Terraform resource address, for the `-replace` advice. */
  readonly addresses: Readonly<Record<string, string>>;
  /** Query `delivery_check`: also judge each declared job's newest delivery (`deliveryCheck`). */
  readonly deliveryCheck?: boolean;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A query problem: names the command, the field, the value received and what is allowed. */
export function specError(
  verb: string,
  field: string,
  value: unknown,
  allowed: string,
  source = READ_QUERY_SOURCE,
): HandlerError {
  return new HandlerError({
    code: 'InvalidSpec',
    message: `${source} field ${field}: ${allowed} (received ${describeValue(value)})`,
    hint: `${source} for ${verb} is written by the BucketInventory construct: re-synthesize the stack or fix the value by hand`,
    exitCode: EXIT_USAGE,
  });
}

/** Parses the JSON text of a query; bad JSON is a clear error, not a stack trace. */
export function parseJsonObject(verb: string, text: string | undefined, source = READ_QUERY_SOURCE): Json {
  if (text === undefined || text.trim() === '') {
    throw new HandlerError({
      code: 'InvalidSpec',
      message: `${source} is empty: ${verb} needs a json object`,
      hint: `${source} for ${verb} is written by the BucketInventory construct: re-synthesize the stack`,
      exitCode: EXIT_USAGE,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HandlerError({
      code: 'InvalidSpec',
      message: `${source} is not valid json: ${reason}`,
      hint: `${source} for ${verb} must be one json object`,
      exitCode: EXIT_USAGE,
    });
  }
  if (!isObject(parsed)) throw specError(verb, '(root)', parsed, 'must be a json object', source);
  return parsed;
}

function bucketSpec(verb: string, spec: Json, source = READ_QUERY_SOURCE): BucketSpec {
  if (typeof spec.bucket !== 'string' || !isValidBucketName(spec.bucket)) {
    throw specError(
      verb,
      'bucket',
      spec.bucket,
      'must be a bucket name <name>-<appid> such as examplebucket-1250000000',
      source,
    );
  }
  if (typeof spec.region !== 'string' || !isValidRegion(spec.region)) {
    throw specError(verb, 'region', spec.region, 'must be a cos region id such as ap-guangzhou', source);
  }
  return { bucket: spec.bucket, region: spec.region };
}

function configuration(
  value: unknown,
  field: string,
  region: string,
  source = READ_QUERY_SOURCE,
): InventoryConfiguration {
  const problems = validateConfiguration(value, { sourceRegion: region });
  if (problems.length > 0) {
    throw new HandlerError({
      code: 'InvalidConfiguration',
      message: problems.map((problem) => formatProblem(problem, `${source} field ${field}`)).join('; '),
      hint: 'fix the inventory configuration in the BucketInventory props: nothing was sent to cos',
      exitCode: EXIT_USAGE,
    });
  }
  return value as InventoryConfiguration;
}

/** Every key of the read query: anything else is a typo, refused rather than ignored. */
export const READ_QUERY_KEYS: readonly string[] = [
  'bucket',
  'region',
  'configurations',
  'addresses',
  'delivery_check',
];

/** The `external` data source query: a flat object of strings, two of them JSON-encoded. */
export function parseReadQuery(verb: string, text: string): ReadQuery {
  const source = READ_QUERY_SOURCE;
  const query = parseJsonObject(verb, text, source);
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string')
      throw specError(
        verb,
        key,
        value,
        'must be a string (the external data source passes strings only)',
        source,
      );
  }
  for (const key of Object.keys(query)) {
    if (!READ_QUERY_KEYS.includes(key)) {
      throw specError(
        verb,
        key,
        query[key],
        `is not a field of the read query: expected only ${READ_QUERY_KEYS.join(', ')}`,
        source,
      );
    }
  }
  const target = bucketSpec(verb, query, source);
  if (query.configurations === undefined) {
    // Without it every declared job would be missing from the comparison and read "in sync".
    throw specError(
      verb,
      'configurations',
      undefined,
      'is required: a json array of the declared inventory configurations ("[]" for none)',
      source,
    );
  }
  const rawConfigurations = parseEmbeddedJson(verb, query, 'configurations', '[]');
  if (!Array.isArray(rawConfigurations)) {
    throw specError(
      verb,
      'configurations',
      rawConfigurations,
      'must be a json array of inventory configurations',
      source,
    );
  }
  const seen = new Set<string>();
  const configurations = rawConfigurations.map((config, index) => {
    const parsed = configuration(config, `configurations[${index}]`, target.region, source);
    if (seen.has(parsed.Id))
      throw specError(
        verb,
        `configurations[${index}].Id`,
        parsed.Id,
        'must be unique among the configurations',
        source,
      );
    seen.add(parsed.Id);
    return parsed;
  });
  const rawAddresses = parseEmbeddedJson(verb, query, 'addresses', '{}');
  if (!isObject(rawAddresses))
    throw specError(
      verb,
      'addresses',
      rawAddresses,
      'must be a json object of job id to resource address',
      source,
    );
  const addresses: Record<string, string> = {};
  for (const [id, address] of Object.entries(rawAddresses)) {
    if (typeof address !== 'string' || address === '') {
      throw specError(
        verb,
        `addresses.${id}`,
        address,
        'must be a terraform resource address string',
        source,
      );
    }
    addresses[id] = address;
  }
  const deliveryCheck = query.delivery_check;
  if (deliveryCheck !== undefined && deliveryCheck !== 'true' && deliveryCheck !== 'false') {
    throw specError(verb, 'delivery_check', deliveryCheck, "must be 'true' or 'false'", source);
  }
  return {
    ...target,
    configurations,
    addresses,
    ...(deliveryCheck === 'true' ? { deliveryCheck: true } : {}),
  };
}

function parseEmbeddedJson(verb: string, query: Json, field: string, fallback: string): unknown {
  const text = query[field];
  const json = typeof text === 'string' && text.trim() !== '' ? text : fallback;
  try {
    return JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw specError(verb, field, text, `must be json text (${reason})`, READ_QUERY_SOURCE);
  }
}
