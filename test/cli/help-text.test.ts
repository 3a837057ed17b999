/** Every command that calls COS shows the one credentials paragraph in its --help. */
import { Command } from 'commander';
import { CREDENTIALS_HELP } from '../../src/cli/credentials-help';
import { registerDriftCommand } from '../../src/cli/drift-command';
import { registerImportCommand } from '../../src/cli/import-command';
import { registerReportCommand } from '../../src/cli/report-command';
import { registerRunCommand } from '../../src/cli/run-command';
import { registerStatusCommand } from '../../src/cli/status-command';

describe('the credentials help text', () => {
  it.each([
    ['report', registerReportCommand],
    ['run', registerRunCommand],
    ['import', registerImportCommand],
    ['status', registerStatusCommand],
    ['drift', registerDriftCommand],
  ])('%s --help shows it once, and no other wording of it', (_name, register) => {
    const command = register(new Command('cos-inventory'));
    let help = '';
    command.configureOutput({ writeOut: (text) => (help += text) });
    command.outputHelp();
    expect(help.split(CREDENTIALS_HELP)).toHaveLength(2);
    expect(help.split('TENCENTCLOUD_SECRET_ID')).toHaveLength(2);
    // The chain of issue 16, in the one text: profile, --profile, roles, the stand-in endpoints.
    for (const part of [
      'TENCENTCLOUD_PROFILE',
      '--profile NAME reads',
      'TENCENTCLOUD_CAM_ROLE_NAME',
      'TENCENTCLOUD_ASSUME_ROLE_ARN',
      'TENCENTCLOUD_TOKEN',
      'COS_INVENTORY_STS_ENDPOINT',
    ]) {
      expect(CREDENTIALS_HELP).toContain(part);
    }
    expect(help).toContain('--profile <name>');
  });
});
