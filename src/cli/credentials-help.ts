import { ENV_ENDPOINT, ENV_RETRY_BUDGET_MS } from '../cos/client';
import {
  ENV_ASSUME_ROLE_ARN,
  ENV_CAM_ROLE_NAME,
  ENV_METADATA_ENDPOINT,
  ENV_PROFILE,
  ENV_PROVIDER_ID,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SHARED_CREDENTIALS_DIR,
  ENV_STS_ENDPOINT,
  ENV_ASSUME_ROLE_SESSION_NAME,
  ENV_TKE_PROVIDER_ID,
  ENV_TKE_REGION,
  ENV_TKE_ROLE_ARN,
  ENV_TKE_WEB_IDENTITY_TOKEN_FILE,
  ENV_WEB_IDENTITY_TOKEN_FILE,
  TOKEN_VARIABLES,
} from '../credentials/variables';

/**
 * The one credentials paragraph of every command that calls COS (`--help`): the credential
 * chain in the Tencent Cloud Terraform provider's order, `--profile`, and the stand-in endpoints.
 */
export const CREDENTIALS_HELP =
  "Credentials, in the Tencent Cloud Terraform provider's order (each later step is assumed with\n" +
  'the credential before it, and temporary keys are renewed before they expire):\n' +
  `  1. keys: ${ENV_SECRET_ID}, ${ENV_SECRET_KEY}, with a token in\n` +
  `     ${TOKEN_VARIABLES.join(', ')};\n` +
  `  2. without keys, the tccli profile ${ENV_PROFILE} (default: default) in\n` +
  `     ${ENV_SHARED_CREDENTIALS_DIR} (default: ~/.tccli);\n` +
  '     --profile NAME reads profile NAME even when keys are set;\n' +
  `  3. the cvm role ${ENV_CAM_ROLE_NAME} (instance metadata); 4. the profile's role-arn;\n` +
  `  5. the role ${ENV_ASSUME_ROLE_ARN} with ${ENV_ASSUME_ROLE_SESSION_NAME}, or its web identity form\n` +
  `     (${ENV_WEB_IDENTITY_TOKEN_FILE}, ${ENV_PROVIDER_ID});\n` +
  `     without any key, ${ENV_TKE_ROLE_ARN} with ${ENV_TKE_WEB_IDENTITY_TOKEN_FILE},\n` +
  `     ${ENV_TKE_PROVIDER_ID} and ${ENV_TKE_REGION} (TKE pod OIDC).\n` +
  `${ENV_ENDPOINT}, ${ENV_STS_ENDPOINT} and ${ENV_METADATA_ENDPOINT}\n` +
  '(each http://HOST:PORT) send cos, sts and metadata requests to a local endpoint (cos-inventory emulator);\n' +
  `${ENV_RETRY_BUDGET_MS} bounds the retries of a failing request (each retry is reported on stderr).`;
