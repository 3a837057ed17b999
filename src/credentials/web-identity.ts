import { CredentialError } from './errors';
import type { FileReader } from './files';

/**
 * The OIDC token of `TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE`: a JSON object with
 * `web_identity_token` (the provider's `web_identity_token_file`). `raw` files (TKE's
 * `TKE_WEB_IDENTITY_TOKEN_FILE`) hold the token itself.
 */
export function readWebIdentityToken(
  path: string,
  variable: string,
  source: string,
  readFile: FileReader,
  format: 'json' | 'raw',
): string {
  const text = readFile(path);
  if (text === undefined) {
    throw new CredentialError({
      code: 'MissingTokenFile',
      source,
      message: `token file ${path} does not exist`,
      fix: `fix ${variable}, or write the token there before terraform runs`,
    });
  }
  let token = text.trim();
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const value =
      parsed && typeof parsed === 'object' && 'web_identity_token' in parsed
        ? parsed.web_identity_token
        : undefined;
    token = typeof value === 'string' ? value.trim() : '';
  }
  if (token === '') {
    throw new CredentialError({
      code: 'MalformedTokenFile',
      source,
      message:
        format === 'json'
          ? `token file ${path} is not a json object with a non-empty web_identity_token`
          : `token file ${path} is empty`,
      fix: `fix the file ${variable} names`,
    });
  }
  return token;
}
