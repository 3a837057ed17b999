/** An environment problem's hint speaks of the variable that was wrong. */
import { credentialsFromEnv } from '../../src/cos/client';
import { serviceEndpoints } from '../../src/credentials/endpoints';
import { formatErrorLine } from '../../src/handler/errors';
import { readBackOptions } from '../../src/handler/read-back';

const KEYS = { TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'secret-key-example' };

function lineFor(env: NodeJS.ProcessEnv): string {
  try {
    credentialsFromEnv(env);
  } catch (error) {
    return formatErrorLine({ verb: 'status' }, error, []);
  }
  throw new Error('expected an environment error');
}

describe('the hint of an environment error', () => {
  it('a malformed endpoint: how to set the endpoint, not the keys', () => {
    const line = lineFor({ ...KEYS, COS_INVENTORY_ENDPOINT: '127.0.0.1:9000' });
    expect(line).toMatch(
      /code=InvalidEnvironment .*COS_INVENTORY_ENDPOINT must have the form http:\/\/HOST:PORT/,
    );
    expect(line).toMatch(
      /; hint: set COS_INVENTORY_ENDPOINT to the address cos-inventory emulator prints .* or unset it to reach cos$/,
    );
    expect(line).not.toContain('TENCENTCLOUD_SECRET_ID');
  });

  it.each(['COS_INVENTORY_TIMEOUT_MS', 'COS_INVENTORY_RETRY_BUDGET_MS'])(
    'a bad %s: that variable',
    (variable) => {
      expect(lineFor({ ...KEYS, [variable]: 'soon' })).toMatch(
        new RegExp(`; hint: set ${variable} to a whole number of milliseconds, or unset it for the default$`),
      );
    },
  );

  it('missing keys: the credential variables', () => {
    expect(lineFor({})).toMatch(/; hint: export TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY/);
  });

  it.each(['COS_INVENTORY_STS_ENDPOINT', 'COS_INVENTORY_METADATA_ENDPOINT'])(
    'a malformed %s: that endpoint, not the keys',
    (variable) => {
      let line = '';
      try {
        serviceEndpoints({ [variable]: 'sts.local:9000' });
      } catch (error) {
        line = formatErrorLine({ verb: 'put' }, error, []);
      }
      expect(line).toMatch(
        new RegExp(
          `code=InvalidEnvironment .*; hint: set ${variable} to the address cos-inventory emulator prints`,
        ),
      );
      expect(line).not.toContain('TENCENTCLOUD_SECRET_ID');
    },
  );

  it("another variable's bad milliseconds: that variable", () => {
    let line = '';
    try {
      readBackOptions({ COS_INVENTORY_READBACK_MS: 'soon' });
    } catch (error) {
      line = formatErrorLine({ verb: 'put' }, error, []);
    }
    expect(line).toMatch(
      /; hint: set COS_INVENTORY_READBACK_MS to a whole number of milliseconds, or unset it for the default$/,
    );
  });
});
