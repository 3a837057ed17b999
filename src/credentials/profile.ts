import { homedir } from 'node:os';
import { join } from 'node:path';
import { CredentialError } from './errors';
import type { FileReader } from './files';
import { DEFAULT_PROFILE, ENV_PROFILE, ENV_SHARED_CREDENTIALS_DIR } from './variables';

/** The fields of a tccli `<profile>.credential` file the provider reads. */
export interface ProfileCredential {
  readonly profile: string;
  readonly path: string;
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
}

/** `TENCENTCLOUD_SHARED_CREDENTIALS_DIR` (a leading `~` is the home directory), else `$HOME/.tccli`. */
export function sharedCredentialsDir(env: NodeJS.ProcessEnv): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  const dir = env[ENV_SHARED_CREDENTIALS_DIR];
  if (!dir) return join(home, '.tccli');
  if (dir === '~') return home;
  return dir.startsWith('~/') ? join(home, dir.slice(2)) : dir;
}

/**
 * The profile's credential file, or `undefined` when the default profile has none (the
 * provider then goes on without it). A profile named by `TENCENTCLOUD_PROFILE` or `--profile`
 * must exist; a file that is not a JSON object is an error naming it.
 */
export function readProfile(
  env: NodeJS.ProcessEnv,
  readFile: FileReader,
  flagProfile?: string,
): ProfileCredential | undefined {
  const named = flagProfile || env[ENV_PROFILE] || '';
  const profile = named || DEFAULT_PROFILE;
  const source = flagProfile
    ? `profile ${JSON.stringify(profile)} (--profile)`
    : `profile ${JSON.stringify(profile)}`;
  const path = join(sharedCredentialsDir(env), `${profile}.credential`);
  const text = readFile(path);
  if (text === undefined) {
    if (!named) return undefined;
    throw new CredentialError({
      code: 'UnknownProfile',
      source,
      message: `${path} does not exist`,
      fix: `run tccli configure --profile ${profile}, or fix ${flagProfile ? '--profile' : ENV_PROFILE} or ${ENV_SHARED_CREDENTIALS_DIR}`,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CredentialError({
      code: 'MalformedProfile',
      source,
      message: `${path} is not a json object`,
      fix: `rewrite ${path} with tccli configure --profile ${profile} (json with secretId, secretKey, optional token, role-arn, role-session-name)`,
    });
  }
  const record = parsed as Record<string, unknown>;
  const text_ = (key: string): string =>
    typeof record[key] === 'string' ? (record[key] as string).trim() : '';
  return {
    profile,
    path,
    secretId: text_('secretId'),
    secretKey: text_('secretKey'),
    token: text_('token'),
    roleArn: text_('role-arn'),
    roleSessionName: text_('role-session-name'),
  };
}
