import { Identities, RoleRecord } from './identities';

/** The CVM metadata service's path for a role's temporary credentials. */
export const METADATA_CREDENTIALS_PATH = '/latest/meta-data/cam/security-credentials/';

const METADATA_HOST = /^metadata\.tencentyun\.com$/;

/** Whether a request is for the metadata service: its host is the service's, or its path is under `/latest/meta-data/`. */
export function isMetadataRequest(host: string | undefined, pathname: string): boolean {
  const name = (host ?? '').toLowerCase().replace(/:\d+$/, '');
  return METADATA_HOST.test(name) || pathname.startsWith('/latest/meta-data/');
}

export interface MetadataAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** The role name asked for, when there was one. */
  readonly name?: string;
}

/**
 * `GET /latest/meta-data/cam/security-credentials/` lists the CVM role names, one a line;
 * `GET .../<name>` answers a fresh temporary credential of that role's session as JSON.
 */
export function handleMetadata(
  method: string,
  pathname: string,
  cvmRoles: ReadonlyMap<string, RoleRecord>,
  identities: Identities,
): MetadataAnswer {
  const text = (status: number, body: string, name?: string): MetadataAnswer => ({
    status,
    contentType: 'text/plain',
    body,
    name,
  });
  if (method !== 'GET') return text(405, `${method} is not allowed; the metadata service answers GET`);
  if (pathname === METADATA_CREDENTIALS_PATH || pathname === METADATA_CREDENTIALS_PATH.slice(0, -1)) {
    return text(200, [...cvmRoles.keys()].join('\n'));
  }
  if (!pathname.startsWith(METADATA_CREDENTIALS_PATH)) {
    return text(
      404,
      `${pathname} is not served; the local metadata service answers ${METADATA_CREDENTIALS_PATH}<role>`,
    );
  }
  const name = pathname.slice(METADATA_CREDENTIALS_PATH.length);
  const role = cvmRoles.get(name);
  if (role === undefined) return text(404, `no cvm role ${name} is bound to this instance`, name);
  // The instance's session, on the role's own account's behalf.
  const credential = identities.issue(role, name, identities.maxDurationSeconds, role.account.uin);
  const body = {
    TmpSecretId: credential.secretId,
    TmpSecretKey: credential.secretKey,
    ExpiredTime: Math.floor(credential.expiresAt / 1000),
    Expiration: new Date(credential.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Token: credential.token,
    Code: 'Success',
  };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body), name };
}
