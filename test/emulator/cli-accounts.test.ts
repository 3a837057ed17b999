import { CommanderError } from 'commander';
import { parseEmulatorArgs } from '../../src/cli/emulator-command';
import { DEFAULT_CREDENTIALS, DEFAULT_STS_DURATION_SECONDS } from '../../src/emulator';

const B = '100000000002';
const ROLE_B = `qcs::cam::uin/${B}:roleName/policy-editor`;

/** The message a user would see for these arguments. */
function refusal(args: string[]): string {
  try {
    parseEmulatorArgs(args);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(args)} to be refused`);
}

describe('cos-inventory emulator flags for accounts, roles and sts (parsed in process)', () => {
  it('keeps the documented pair as the first account and adds nothing by default', () => {
    const options = parseEmulatorArgs([]);
    expect(options.credentials).toEqual([DEFAULT_CREDENTIALS]);
    expect(options).toMatchObject({
      accounts: [],
      roles: [],
      oidcProviders: [],
      cvmRoles: {},
      stsDurationSeconds: DEFAULT_STS_DURATION_SECONDS,
    });
  });

  it('reads repeated --account, --role, --oidc-provider, --cvm-role and --sts-duration-s', () => {
    const options = parseEmulatorArgs([
      '--secret-id',
      'AKIDa',
      '--secret-key',
      'keya',
      '--account',
      `${B}:1250000002:AKIDb:key:with:colons`,
      '--account',
      '100000000003:1250000003:AKIDc:keyc',
      '--role',
      `${ROLE_B}=100000000001,100000000003`,
      '--role',
      'qcs::cam::uin/100000000001:roleName/deployer',
      '--oidc-provider',
      'github-actions',
      '--cvm-role',
      'ci-runner=qcs::cam::uin/100000000001:roleName/deployer',
      '--sts-duration-s',
      '20',
    ]);
    expect(options.credentials).toEqual([{ secretId: 'AKIDa', secretKey: 'keya' }]);
    expect(options.accounts).toEqual([
      { uin: B, appid: '1250000002', secretId: 'AKIDb', secretKey: 'key:with:colons' },
      { uin: '100000000003', appid: '1250000003', secretId: 'AKIDc', secretKey: 'keyc' },
    ]);
    expect(options.roles).toEqual([
      { arn: ROLE_B, trustedUins: ['100000000001', '100000000003'] },
      { arn: 'qcs::cam::uin/100000000001:roleName/deployer' },
    ]);
    expect(options.oidcProviders).toEqual(['github-actions']);
    expect(options.cvmRoles).toEqual({ 'ci-runner': 'qcs::cam::uin/100000000001:roleName/deployer' });
    expect(options.stsDurationSeconds).toBe(20);
  });

  it.each([
    [
      ['--account', '100000000002:1250000002:AKIDb'],
      "option '--account <uin:appid:secret-id:secret-key>' argument",
    ],
    [['--account', 'abc:1250000002:AKIDb:k'], 'expected UIN:APPID:SECRET_ID:SECRET_KEY'],
    [
      ['--role', 'arn:aws:iam::1:role/x'],
      "option '--role <arn[=trusted-uin,...]>' argument 'arn:aws:iam::1:role/x' is invalid",
    ],
    [['--role', `${ROLE_B}=bob`], 'expected qcs::cam::uin/<uin>:roleName/<name>'],
    [['--cvm-role', 'runner'], "option '--cvm-role <name=arn>' argument 'runner' is invalid"],
    [['--oidc-provider', 'a b'], "option '--oidc-provider <id>' argument 'a b' is invalid"],
    [['--sts-duration-s', '0'], "option '--sts-duration-s <seconds>' argument '0' is invalid"],
    [['--sts-duration-s', '43201'], 'expected a whole number from 1 to 43200'],
  ])('refuses %j naming the flag and what is allowed', (args, message) => {
    let caught: unknown;
    try {
      parseEmulatorArgs(args);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CommanderError);
    expect((caught as CommanderError).message).toContain(message);
  });

  it.each([
    [['--secret-id', 'AKIDonly'], "'--secret-key' is required"],
    [
      ['--account', '100000000001:1250000009:AKIDx:k'],
      'account 100000000001 (appid 1250000009) is not allowed; uin 100000000001 with appid 1250000000 is already an account',
    ],
    [['--account', `${B}:1250000000:AKIDx:k`], 'appid 1250000000 is already an account'],
    [
      ['--account', `${B}:1250000002:${DEFAULT_CREDENTIALS.secretId}:k`],
      `secretId ${DEFAULT_CREDENTIALS.secretId} is given to account 100000000001 and account ${B}`,
    ],
    [
      ['--role', ROLE_B],
      `role ${ROLE_B} belongs to uin ${B}, which is no account; accounts are 100000000001`,
    ],
    [
      ['--account', `${B}:1250000002:AKIDb:k`, '--role', `${ROLE_B}=100000000009`],
      `role ${ROLE_B} trusts uin 100000000009, which is no account`,
    ],
    [
      ['--cvm-role', 'runner=qcs::cam::uin/100000000001:roleName/deployer'],
      "option '--cvm-role runner=qcs::cam::uin/100000000001:roleName/deployer' names no --role",
    ],
  ])('refuses the combination %j with one line naming what to fix', (args, message) => {
    const text = refusal(args);
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });
});
