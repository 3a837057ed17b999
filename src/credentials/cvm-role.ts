import type { Credential } from './credential';
import { CredentialError } from './errors';
import { networkReason, type HttpRequester } from './http';
import { ENV_CAM_ROLE_NAME, ENV_METADATA_ENDPOINT } from './variables';

/** The provider waits this long for the metadata service. */
const METADATA_TIMEOUT_MS = 2_000;

/**
 * The temporary key of the CVM instance's CAM role, from the metadata service
 * (`/latest/meta-data/cam/security-credentials/<role>`).
 */
export async function cvmRoleCredential(
  metadataUrl: string,
  roleName: string,
  requester: HttpRequester,
): Promise<Credential> {
  const source = `cvm role ${JSON.stringify(roleName)} (${ENV_CAM_ROLE_NAME})`;
  const url = `${metadataUrl}/latest/meta-data/cam/security-credentials/${encodeURIComponent(roleName)}`;
  let answer;
  try {
    answer = await requester({ url, method: 'GET', headers: {}, timeoutMs: METADATA_TIMEOUT_MS });
  } catch (error) {
    throw new CredentialError({
      code: 'MetadataUnreachable',
      source,
      message: `the metadata service at ${metadataUrl} could not be reached (${networkReason(error)})`,
      fix: `run on a cvm with a cam role bound, or unset ${ENV_CAM_ROLE_NAME} (${ENV_METADATA_ENDPOINT} points at a stand-in)`,
      exitCode: 1,
    });
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // Reported below: no key in the answer.
  }
  const { TmpSecretId: id, TmpSecretKey: key, Token: token, ExpiredTime: expired, Code: code } = body;
  if (
    answer.status !== 200 ||
    (code !== undefined && code !== 'Success') ||
    typeof id !== 'string' ||
    typeof key !== 'string' ||
    typeof token !== 'string' ||
    typeof expired !== 'number'
  ) {
    throw new CredentialError({
      code: 'MetadataRefused',
      source,
      message: `the metadata service answered ${answer.status}${typeof code === 'string' ? ` with Code ${code}` : ''} and no key`,
      fix: `check that role ${JSON.stringify(roleName)} is bound to this instance, or fix ${ENV_CAM_ROLE_NAME}`,
      exitCode: 1,
    });
  }
  return { secretId: id, secretKey: key, token, expiresAtMs: expired * 1000, source };
}
