/**
 * The environment variables of the credential chain: the Tencent Cloud Terraform provider's
 * names (`tencentcloud/provider.go`), plus the two token names other Tencent tools use, plus our
 * endpoints for stand-ins.
 */
export const ENV_SECRET_ID = 'TENCENTCLOUD_SECRET_ID';
export const ENV_SECRET_KEY = 'TENCENTCLOUD_SECRET_KEY';
/** The provider's token variable; the first of the three read. */
export const ENV_SECURITY_TOKEN = 'TENCENTCLOUD_SECURITY_TOKEN';
/** tencentcloud-sdk-nodejs-common's token variable. */
export const ENV_SESSION_TOKEN = 'TENCENTCLOUD_SESSION_TOKEN';
/** tccli's token variable (the tencentcloud OIDC GitHub Action exports it too). */
export const ENV_TOKEN = 'TENCENTCLOUD_TOKEN';
/** Every token variable, in the order they are read. */
export const TOKEN_VARIABLES = [ENV_SECURITY_TOKEN, ENV_SESSION_TOKEN, ENV_TOKEN] as const;
export const ENV_REGION = 'TENCENTCLOUD_REGION';

export const ENV_PROFILE = 'TENCENTCLOUD_PROFILE';
export const ENV_SHARED_CREDENTIALS_DIR = 'TENCENTCLOUD_SHARED_CREDENTIALS_DIR';
export const ENV_CAM_ROLE_NAME = 'TENCENTCLOUD_CAM_ROLE_NAME';

export const ENV_ASSUME_ROLE_ARN = 'TENCENTCLOUD_ASSUME_ROLE_ARN';
export const ENV_ASSUME_ROLE_SESSION_NAME = 'TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME';
export const ENV_ASSUME_ROLE_SESSION_DURATION = 'TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION';
export const ENV_ASSUME_ROLE_EXTERNAL_ID = 'TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID';
export const ENV_ASSUME_ROLE_SOURCE_IDENTITY = 'TENCENTCLOUD_ASSUME_ROLE_SOURCE_IDENTITY';
export const ENV_ASSUME_ROLE_SAML_ASSERTION = 'TENCENTCLOUD_ASSUME_ROLE_SAML_ASSERTION';
export const ENV_WEB_IDENTITY_TOKEN = 'TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN';
export const ENV_WEB_IDENTITY_TOKEN_FILE = 'TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE';
export const ENV_PROVIDER_ID = 'TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID';

export const ENV_TKE_REGION = 'TKE_REGION';
export const ENV_TKE_WEB_IDENTITY_TOKEN_FILE = 'TKE_WEB_IDENTITY_TOKEN_FILE';
export const ENV_TKE_PROVIDER_ID = 'TKE_PROVIDER_ID';
export const ENV_TKE_ROLE_ARN = 'TKE_ROLE_ARN';

/** `http://HOST:PORT` of a stand-in STS (default: `https://sts.tencentcloudapi.com`). */
export const ENV_STS_ENDPOINT = 'COS_INVENTORY_STS_ENDPOINT';
/** `http://HOST:PORT` of a stand-in CVM metadata service (default: `http://metadata.tencentyun.com`). */
export const ENV_METADATA_ENDPOINT = 'COS_INVENTORY_METADATA_ENDPOINT';

export const DEFAULT_PROFILE = 'default';
export const DEFAULT_REGION = 'ap-guangzhou';
/** The provider's default and the duration of a profile's role-arn. */
export const DEFAULT_SESSION_DURATION_S = 7200;
export const MAX_SESSION_DURATION_S = 43200;
export const DEFAULT_PROVIDER_ID = 'OIDC';
