import {
  ENV_ENDPOINT,
  ENV_RETRY_BUDGET_MS,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SECURITY_TOKEN,
  ENV_TIMEOUT_MS,
  type ClientConfigError,
} from '../cos/client';

const CREDENTIAL_VARIABLES = `${ENV_SECRET_ID}, ${ENV_SECRET_KEY} (and ${ENV_SECURITY_TOKEN} for temporary keys)`;

/** The hint of an environment problem: about the variable that was wrong, not always the keys. */
export function configHint(error: ClientConfigError): string {
  const message = error.message;
  if (message.startsWith(ENV_ENDPOINT)) {
    return `set ${ENV_ENDPOINT} to the address cos-inventory emulator prints (e.g. http://127.0.0.1:9000), or unset it to reach cos`;
  }
  for (const variable of [ENV_TIMEOUT_MS, ENV_RETRY_BUDGET_MS]) {
    if (message.startsWith(variable))
      return `set ${variable} to a whole number of milliseconds, or unset it for the default`;
  }
  return `export ${CREDENTIAL_VARIABLES} in the environment terraform runs in`;
}
