/**
 * The second account of the cross-account tests (the first is LocalCos's default), as given to
 * LocalCos's `accounts`, and the web-identity token an OIDC provider would hand a CI job.
 */

/** Account B: its uin and API keys (each test names B's appid: it differs by scenario). */
export const ACCOUNT_B = {
  uin: '100000000002',
  keys: {
    secretId: 'AKIDaccountb0000000000000000000000000',
    secretKey: 'accountbsecretkey000000000000000',
  },
} as const;

/** A well-formed JWT (LocalCos's STS checks its shape, not its signature). */
export function fakeJwt(
  claims: Record<string, unknown> = { sub: 'repo:example/app:ref:refs/heads/main' },
): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.${Buffer.from('signature').toString('base64url')}`;
}
