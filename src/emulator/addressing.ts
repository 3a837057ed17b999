import { CosError } from './errors';

/** What the `Host` header names: one bucket in one region, or the service endpoint. */
export type Address =
  | { readonly kind: 'bucket'; readonly bucket: string; readonly region: string }
  | { readonly kind: 'service' };

// COS's default domains (myqcloud.com) and the backup domain the SDK switches to after
// failed attempts (tencentcos.cn). Bucket names are `name-appid`, lower case.
const BUCKET_HOST =
  /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+)\.cos\.([a-z0-9]+(?:-[a-z0-9]+)*)\.(?:myqcloud\.com|tencentcos\.cn)$/;
const SERVICE_HOST = /^(?:service\.cos\.myqcloud\.com|cos\.[a-z0-9-]+\.myqcloud\.com)$/;

/** Reads the virtual-host address of a request, as COS does (the port is ignored). */
export function parseHost(hostHeader: string | undefined): Address {
  if (hostHeader === undefined || hostHeader === '') {
    throw new CosError(400, 'InvalidURI', 'the request has no host header');
  }
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
  const bucketMatch = BUCKET_HOST.exec(host);
  if (bucketMatch) {
    const bucket = bucketMatch[1];
    if (bucket.length > 60 || bucket.includes('--')) {
      throw new CosError(400, 'InvalidBucketName', `bucket name ${bucket} is not a valid name-appid`);
    }
    return { kind: 'bucket', bucket, region: bucketMatch[2] };
  }
  if (SERVICE_HOST.test(host)) return { kind: 'service' };
  throw new CosError(
    400,
    'InvalidURI',
    `host ${hostHeader} is not <name>-<appid>.cos.<region>.myqcloud.com nor service.cos.myqcloud.com`,
  );
}

/** One query parameter, decoded, in request order. */
export interface QueryParam {
  readonly name: string;
  readonly value: string;
}

/** The decoded path and query of a request target. */
export interface RequestTarget {
  /** Decoded pathname, starting with `/`. */
  readonly pathname: string;
  readonly query: readonly QueryParam[];
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new CosError(400, 'InvalidURI', `the ${what} ${part} is not valid percent-encoding`);
  }
}

/**
 * Splits the request target. Percent-decoding only: COS and the SDK encode spaces as `%20`
 * and a literal `+` stays `+` (URLSearchParams would turn it into a space).
 */
export function parseTarget(url: string | undefined): RequestTarget {
  const target = url ?? '/';
  const hashless = target.split('#')[0];
  const questionMark = hashless.indexOf('?');
  const rawPath = questionMark === -1 ? hashless : hashless.slice(0, questionMark);
  const rawQuery = questionMark === -1 ? '' : hashless.slice(questionMark + 1);
  if (!rawPath.startsWith('/'))
    throw new CosError(400, 'InvalidURI', `the request path ${rawPath} is not absolute`);
  const query: QueryParam[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq === -1 ? part : part.slice(0, eq), 'query parameter');
    const value = eq === -1 ? '' : decode(part.slice(eq + 1), 'query value');
    query.push({ name, value });
  }
  return { pathname: decode(rawPath, 'path'), query };
}

/** The value of a query parameter (first occurrence), or undefined. */
export function queryValue(query: readonly QueryParam[], name: string): string | undefined {
  return query.find((p) => p.name === name)?.value;
}

/** Whether a query parameter is present (with or without a value). */
export function hasQuery(query: readonly QueryParam[], name: string): boolean {
  return query.some((p) => p.name === name);
}
