import { QueryParam, queryValue } from './addressing';
import { DeliveryResult } from './types';

/**
 * The local admin route: `POST /_localcos/deliver?bucket=NAME-APPID&id=ID[&date=YYYY-MM-DD]`
 * sent to the endpoint's own address (`Host: 127.0.0.1:PORT`, not a COS host name), so it can
 * never be mistaken for, or collide with, a COS request. It answers JSON. It is what
 * `cos-inventory emulator deliver` calls to run (and backdate) a delivery in a running emulator.
 */
export const ADMIN_PREFIX = '/_localcos/';

export interface AdminRequest {
  readonly method: string;
  readonly pathname: string;
  readonly query: readonly QueryParam[];
}

export interface AdminResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Thrown by the delivery the admin route runs; carries the status to answer. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` as that day at 00:00 UTC; undefined when it is no real date. */
export function parseDay(text: string): Date | undefined {
  const match = DAY.exec(text);
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text ? date : undefined;
}

/** Routes an admin request to `deliver(bucket, id, date)`. */
export function handleAdmin(
  request: AdminRequest,
  deliver: (bucket: string, id: string, date: Date | undefined) => DeliveryResult,
): AdminResponse {
  const error = (status: number, message: string): AdminResponse => ({ status, body: { error: message } });
  if (request.pathname !== `${ADMIN_PREFIX}deliver`) {
    return error(
      404,
      `${request.pathname} is not an admin route; the only one is POST ${ADMIN_PREFIX}deliver`,
    );
  }
  if (request.method !== 'POST')
    return error(405, `${request.method} ${request.pathname} is not allowed; use POST`);
  const bucket = queryValue(request.query, 'bucket') ?? '';
  const id = queryValue(request.query, 'id') ?? '';
  if (bucket === '' || id === '') return error(400, 'bucket and id query parameters are required');
  const dateText = queryValue(request.query, 'date');
  let date: Date | undefined;
  if (dateText !== undefined) {
    date = parseDay(dateText);
    if (date === undefined) return error(400, `date ${dateText} is not allowed; use YYYY-MM-DD`);
  }
  try {
    return { status: 200, body: deliver(bucket, id, date) };
  } catch (caught) {
    if (caught instanceof AdminError) return error(caught.status, caught.message);
    return error(500, (caught as Error).message);
  }
}
