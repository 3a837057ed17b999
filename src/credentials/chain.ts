import type { Credential } from './credential';
import { cvmRoleCredential } from './cvm-role';
import type { ServiceEndpoints } from './endpoints';
import { CredentialError } from './errors';
import type { FileReader } from './files';
import type { HttpRequester } from './http';
import { readProfile } from './profile';
import { assumeRole, assumeRoleWithWebIdentity, StsError, type StsContext } from './sts-client';
import {
  DEFAULT_PROVIDER_ID,
  DEFAULT_REGION,
  DEFAULT_SESSION_DURATION_S,
  ENV_ASSUME_ROLE_ARN,
  ENV_ASSUME_ROLE_EXTERNAL_ID,
  ENV_ASSUME_ROLE_SAML_ASSERTION,
  ENV_ASSUME_ROLE_SESSION_DURATION,
  ENV_ASSUME_ROLE_SESSION_NAME,
  ENV_ASSUME_ROLE_SOURCE_IDENTITY,
  ENV_CAM_ROLE_NAME,
  ENV_PROFILE,
  ENV_PROVIDER_ID,
  ENV_REGION,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SECURITY_TOKEN,
  ENV_TKE_PROVIDER_ID,
  ENV_TKE_REGION,
  ENV_TKE_ROLE_ARN,
  ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
  ENV_WEB_IDENTITY_TOKEN,
  ENV_WEB_IDENTITY_TOKEN_FILE,
  MAX_SESSION_DURATION_S,
  TOKEN_VARIABLES,
} from './variables';
import { readWebIdentityToken } from './web-identity';

/** Everything one run of the chain reads; each part injectable. */
export interface ChainInput {
  readonly env: NodeJS.ProcessEnv;
  /** `--profile`: a profile named on the command line, read even when key variables are set. */
  readonly profile?: string;
  readonly endpoints: ServiceEndpoints;
  readonly requester: HttpRequester;
  readonly readFile: FileReader;
  readonly now: () => number;
  /** Called with every secret value as soon as it is known (for redaction). */
  readonly onSecret: (value: string) => void;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string {
  return (env[name] ?? '').trim();
}

/** The first token variable set (TENCENTCLOUD_SECURITY_TOKEN, _SESSION_TOKEN, then _TOKEN). */
export function envToken(env: NodeJS.ProcessEnv): string {
  for (const name of TOKEN_VARIABLES) {
    const value = envValue(env, name);
    if (value !== '') return value;
  }
  return '';
}

function sessionDuration(env: NodeJS.ProcessEnv): number {
  const raw = envValue(env, ENV_ASSUME_ROLE_SESSION_DURATION);
  if (raw === '') return DEFAULT_SESSION_DURATION_S;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 0 && value <= MAX_SESSION_DURATION_S)) {
    throw new CredentialError({
      code: 'InvalidEnvironment',
      source: `assume role (${ENV_ASSUME_ROLE_ARN})`,
      message: `${ENV_ASSUME_ROLE_SESSION_DURATION} must be a whole number of seconds 0-${MAX_SESSION_DURATION_S}, received ${JSON.stringify(raw)}`,
      fix: `fix ${ENV_ASSUME_ROLE_SESSION_DURATION} (0 means ${DEFAULT_SESSION_DURATION_S})`,
    });
  }
  return value === 0 ? DEFAULT_SESSION_DURATION_S : value;
}

/** A key pair with an empty half (e.g. TENCENTCLOUD_SECRET_KEY unset) is named before it is used. */
function assertComplete(credential: Credential): void {
  if (credential.secretId !== '' && credential.secretKey !== '') return;
  const missing = credential.secretId === '' ? ENV_SECRET_ID : ENV_SECRET_KEY;
  throw new CredentialError({
    code: 'MissingCredentials',
    source: credential.source,
    message: `${missing} is empty`,
    fix: credential.source.startsWith('profile')
      ? `rewrite the profile's file with tccli configure`
      : `set ${missing} (and ${credential.secretId === '' ? ENV_SECRET_KEY : ENV_SECRET_ID}) in the environment terraform runs in`,
  });
}

/** The credential that signs the next STS call: there must be one, and whole. */
function signer(credential: Credential | undefined, stepSource: string): Credential {
  if (!credential) throw noCallerError(stepSource);
  assertComplete(credential);
  return credential;
}

/** Turns an STS refusal into one line naming the source and what to fix. */
export function stsFailure(error: unknown, source: string, fix: string): unknown {
  if (!(error instanceof StsError)) return error;
  return new CredentialError({
    code: error.code,
    source,
    message: `sts ${error.action} failed: ${error.code}${error.message ? ` ${error.message}` : ''}${error.requestId ? ` (request-id ${error.requestId})` : ''}`,
    fix,
    exitCode: 1,
  });
}

function noCallerError(source: string): CredentialError {
  return new CredentialError({
    code: 'MissingCredentials',
    source,
    message: 'assume role needs a key to sign the call and none was found before it',
    fix: `set ${ENV_SECRET_ID} and ${ENV_SECRET_KEY}, a tccli profile, or ${ENV_CAM_ROLE_NAME} to assume the role with`,
  });
}

/**
 * One run of the provider's order (`providerConfigure` in tencentcloud/provider.go): keys from
 * the environment; only when id, key and token are all empty, the profile; then the CVM role;
 * then the profile's `role-arn`; then the environment's assume role, or its web-identity form.
 * Each later step replaces the credential and signs its STS call with the one before (a
 * chain). TKE pod OIDC comes last and only when nothing before gave a key: the provider reads
 * it under `enable_pod_oidc`, which a provisioner cannot see.
 */
export async function runChain(input: ChainInput): Promise<Credential> {
  const { env } = input;
  const secret = (value: string): string => {
    if (value !== '') input.onSecret(value);
    return value;
  };
  const sts = (region: string): StsContext => ({
    endpoints: input.endpoints,
    requester: input.requester,
    now: input.now,
    region,
  });
  let region = envValue(env, ENV_REGION);

  // 1. keys from the environment
  let secretId = envValue(env, ENV_SECRET_ID);
  let secretKey = secret(envValue(env, ENV_SECRET_KEY));
  let token = secret(envToken(env));
  let source = `environment (${ENV_SECRET_ID}, ${ENV_SECRET_KEY})`;

  // 2. the profile, only when no key variable is set (or --profile names one)
  // The provider's own three variables decide, as in its code; the other token names only
  // complete a key pair (a lone TENCENTCLOUD_TOKEN left by tccli does not hide the profile).
  const keysEmpty = secretId === '' && secretKey === '' && envValue(env, ENV_SECURITY_TOKEN) === '';
  if (keysEmpty) token = '';
  const profile = keysEmpty || input.profile ? readProfile(env, input.readFile, input.profile) : undefined;
  if (profile) {
    secretId = profile.secretId;
    secretKey = secret(profile.secretKey);
    token = secret(profile.token);
    source = `profile ${JSON.stringify(profile.profile)} (${profile.path})`;
    if ((secretId === '') !== (secretKey === '')) {
      throw new CredentialError({
        code: 'MalformedProfile',
        source,
        message: 'secretId or secretKey is empty',
        fix: `rewrite ${profile.path} with tccli configure --profile ${profile.profile}`,
      });
    }
  }
  let credential: Credential | undefined =
    secretId !== '' || secretKey !== '' || token !== ''
      ? { secretId, secretKey, ...(token ? { token } : {}), source }
      : undefined;

  // 3. the CVM instance role
  const camRole = envValue(env, ENV_CAM_ROLE_NAME);
  if (camRole !== '') {
    credential = await cvmRoleCredential(input.endpoints.metadata, camRole, input.requester);
  }
  if (region === '') region = DEFAULT_REGION;

  // 4. the profile's role-arn (both role-arn and role-session-name, as the provider asks)
  if (profile && profile.roleArn !== '' && profile.roleSessionName !== '') {
    const stepSource = `profile ${JSON.stringify(profile.profile)} role-arn ${profile.roleArn}`;
    const caller = signer(credential, stepSource);
    try {
      credential = await assumeRole(
        sts(region),
        caller,
        {
          roleArn: profile.roleArn,
          sessionName: profile.roleSessionName,
          durationS: DEFAULT_SESSION_DURATION_S,
        },
        stepSource,
      );
    } catch (error) {
      throw stsFailure(
        error,
        stepSource,
        `check role-arn in ${profile.path} and that the role trusts the profile's key`,
      );
    }
  }

  // 5. the environment's assume role, or its web-identity form
  const roleArn = envValue(env, ENV_ASSUME_ROLE_ARN);
  const sessionName = envValue(env, ENV_ASSUME_ROLE_SESSION_NAME);
  if (roleArn !== '' && sessionName !== '') {
    const durationS = sessionDuration(env);
    if (envValue(env, ENV_ASSUME_ROLE_SAML_ASSERTION) !== '') {
      throw new CredentialError({
        code: 'UnsupportedSource',
        source: `assume role with saml (${ENV_ASSUME_ROLE_SAML_ASSERTION})`,
        message: 'saml is not supported by cos-inventory',
        fix: `unset ${ENV_ASSUME_ROLE_SAML_ASSERTION} and give keys, a profile, a cvm role or a web identity token`,
      });
    }
    let webToken = secret(envValue(env, ENV_WEB_IDENTITY_TOKEN));
    const tokenFile = envValue(env, ENV_WEB_IDENTITY_TOKEN_FILE);
    if (webToken === '' && tokenFile !== '') {
      webToken = secret(
        readWebIdentityToken(
          tokenFile,
          ENV_WEB_IDENTITY_TOKEN_FILE,
          `web identity (${ENV_WEB_IDENTITY_TOKEN_FILE})`,
          input.readFile,
          'json',
        ),
      );
    }
    if (webToken !== '') {
      const stepSource = `web identity role ${roleArn} (${tokenFile ? ENV_WEB_IDENTITY_TOKEN_FILE : ENV_WEB_IDENTITY_TOKEN})`;
      try {
        credential = await assumeRoleWithWebIdentity(
          sts(region),
          {
            roleArn,
            sessionName,
            durationS,
            token: webToken,
            providerId: envValue(env, ENV_PROVIDER_ID) || DEFAULT_PROVIDER_ID,
          },
          stepSource,
        );
      } catch (error) {
        throw stsFailure(
          error,
          stepSource,
          `check ${ENV_ASSUME_ROLE_ARN}, ${ENV_PROVIDER_ID} and that the token is current and the role trusts its provider`,
        );
      }
    } else {
      const stepSource = `assume role ${roleArn} (${ENV_ASSUME_ROLE_ARN})`;
      const caller = signer(credential, stepSource);
      try {
        credential = await assumeRole(
          sts(region),
          caller,
          {
            roleArn,
            sessionName,
            durationS,
            externalId: envValue(env, ENV_ASSUME_ROLE_EXTERNAL_ID),
            sourceIdentity: envValue(env, ENV_ASSUME_ROLE_SOURCE_IDENTITY),
          },
          stepSource,
        );
      } catch (error) {
        throw stsFailure(
          error,
          stepSource,
          `check ${ENV_ASSUME_ROLE_ARN} and that the role trusts the key of ${caller.source}`,
        );
      }
    }
  }

  // 6. TKE pod OIDC, when nothing else gave a key
  const tke = [ENV_TKE_REGION, ENV_TKE_WEB_IDENTITY_TOKEN_FILE, ENV_TKE_PROVIDER_ID, ENV_TKE_ROLE_ARN].map(
    (name) => envValue(env, name),
  );
  if (!credential && tke.every((value) => value !== '')) {
    const [tkeRegion, tkeFile, tkeProvider, tkeRole] = tke;
    const stepSource = `tke pod oidc role ${tkeRole} (${ENV_TKE_ROLE_ARN})`;
    const webToken = secret(
      readWebIdentityToken(tkeFile, ENV_TKE_WEB_IDENTITY_TOKEN_FILE, stepSource, input.readFile, 'raw'),
    );
    try {
      credential = await assumeRoleWithWebIdentity(
        sts(tkeRegion),
        {
          roleArn: tkeRole,
          sessionName: `cos-inventory-${Math.floor(input.now() / 1000)}`,
          durationS: DEFAULT_SESSION_DURATION_S,
          token: webToken,
          providerId: tkeProvider,
        },
        stepSource,
      );
    } catch (error) {
      throw stsFailure(
        error,
        stepSource,
        `check ${ENV_TKE_ROLE_ARN}, ${ENV_TKE_PROVIDER_ID} and the pod's service account token`,
      );
    }
  }

  if (!credential) {
    throw new CredentialError({
      code: 'MissingCredentials',
      source: 'credential chain',
      message: 'no credentials found',
      fix: `set ${ENV_SECRET_ID} and ${ENV_SECRET_KEY}, a tccli profile (${ENV_PROFILE}), ${ENV_CAM_ROLE_NAME}, or ${ENV_ASSUME_ROLE_ARN} with ${ENV_WEB_IDENTITY_TOKEN_FILE}, in the environment terraform runs in`,
    });
  }
  assertComplete(credential);
  for (const value of [credential.secretKey, credential.token ?? '']) secret(value);
  return credential;
}
