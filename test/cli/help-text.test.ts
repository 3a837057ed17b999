/** Every command that calls COS shows the one credentials paragraph in its --help. */
import { CREDENTIALS_HELP } from '../../src/cli/credentials-help';
import { runCli } from '../kit';

describe('the credentials help text', () => {
  it.each(['report', 'run', 'import', 'status', 'drift'])(
    '%s --help shows it once, and no other wording of it',
    async (name) => {
      const { code, stdout: help } = await runCli([name, '--help']);
      expect(code).toBe(0);
      expect(help.split(CREDENTIALS_HELP)).toHaveLength(2);
      expect(help.split('TENCENTCLOUD_SECRET_ID')).toHaveLength(2);
      // The chain of issue 16, in the one text: profile, --profile, roles, the stand-in endpoints.
      for (const part of [
        'TENCENTCLOUD_PROFILE',
        '--profile NAME reads',
        'TENCENTCLOUD_CAM_ROLE_NAME',
        'TENCENTCLOUD_ASSUME_ROLE_ARN',
        'TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME',
        'TENCENTCLOUD_TOKEN',
        // The chain needs all four TKE variables, so the help names all four.
        'TKE_ROLE_ARN',
        'TKE_WEB_IDENTITY_TOKEN_FILE',
        'TKE_PROVIDER_ID',
        'TKE_REGION',
        'COS_INVENTORY_STS_ENDPOINT',
      ]) {
        expect(CREDENTIALS_HELP).toContain(part);
      }
      expect(help).toContain('--profile <name>');
    },
  );
});
