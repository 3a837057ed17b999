import {
  ENV_ENDPOINT,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SECURITY_TOKEN,
  type ClientConfigError,
} from '../cos/client';
import { ENV_METADATA_ENDPOINT, ENV_STS_ENDPOINT } from '../credentials/variables';

const CREDENTIAL_VARIABLES = `${ENV_SECRET_ID}, ${ENV_SECRET_KEY} (and ${ENV_SECURITY_TOKEN} for temporary keys)`;

/** The variable a configuration message starts with (`COS_INVENTORY_TIMEOUT_MS must be ...`). */
const LEADING_VARIABLE = /^([A-Z][A-Z0-9_]*) must be a .*whole number of milliseconds/;

/** The hint of an environment problem: about the variable that was wrong, not always the keys. */
export function configHint(error: ClientConfigError): string {
  const message = error.message;
  if (message.startsWith(`${ENV_ENDPOINT} `)) {
    return `set ${ENV_ENDPOINT} to the address cos-inventory emulator prints (e.g. http://127.0.0.1:9000), or unset it to reach cos`;
  }
  for (const variable of [ENV_STS_ENDPOINT, ENV_METADATA_ENDPOINT]) {
    if (message.startsWith(`${variable} `))
      return `set ${variable} to the address cos-inventory emulator prints (its sts and metadata lines), or unset it to reach the real service`;
  }
  const numeric = LEADING_VARIABLE.exec(message);
  if (numeric) return `set ${numeric[1]} to a whole number of milliseconds, or unset it for the default`;
  return `export ${CREDENTIAL_VARIABLES} in the environment terraform runs in`;
}
