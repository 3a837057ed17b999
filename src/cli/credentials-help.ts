import {
  ENV_ENDPOINT,
  ENV_RETRY_BUDGET_MS,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SECURITY_TOKEN,
} from '../cos/client';

/** The one credentials paragraph of every command that calls COS (`--help`). */
export const CREDENTIALS_HELP =
  `Credentials: ${ENV_SECRET_ID}, ${ENV_SECRET_KEY} (${ENV_SECURITY_TOKEN} for temporary keys);\n` +
  `${ENV_ENDPOINT}=http://HOST:PORT sends every request to a local endpoint (cos-inventory emulator);\n` +
  `${ENV_RETRY_BUDGET_MS} bounds the retries of a failing request (each retry is reported on stderr).`;
