/** The provider block: its schema, the account ids it accepts, and settings read from the environment. */
import { cosInventoryProvider, PROVIDER_SCHEMA } from '../../src/provider/provider';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { JOB_ATTRIBUTE_NAMES, JOB_REPLACE_ATTRIBUTES } from '../../src/model/job-attributes';
import { JOB_SCHEMA } from '../../src/provider/job-schema';
import { GRANT_SCHEMA } from '../../src/provider/grant-schema';

const env = { TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'secretexample' };

test('the schemas: flat job attributes, replace only for region, bucket and job_id', () => {
  const attributes = JOB_SCHEMA.block.attributes;
  expect(Object.keys(attributes)).toEqual(['id', ...JOB_ATTRIBUTE_NAMES, 'allowed_account_ids']);
  expect(Object.keys(attributes).filter((name) => attributes[name].requiresReplace)).toEqual([
    ...JOB_REPLACE_ATTRIBUTES,
  ]);
  expect(attributes.id).toMatchObject({ computed: true });
  const grant = GRANT_SCHEMA.block.attributes;
  expect(Object.keys(grant).filter((name) => grant[name].requiresReplace)).toEqual(['bucket', 'region']);
  // The account guard on each resource, in place like every attribute but the address ones.
  expect(grant.allowed_account_ids).toMatchObject({ optional: true, type: ['list', 'string'] });
  expect(attributes.allowed_account_ids).toEqual(grant.allowed_account_ids);
  expect(Object.keys(PROVIDER_SCHEMA.block.attributes)).toEqual(['allowed_account_ids']);
  expect(Object.keys(cosInventoryProvider({ env }).resources ?? {})).toEqual([
    JOB_RESOURCE_TYPE,
    GRANT_RESOURCE_TYPE,
  ]);
});

test('allowed_account_ids takes uins only', async () => {
  const provider = cosInventoryProvider({ env });
  expect(await provider.validateConfig?.({ allowed_account_ids: ['100000000001'] })).toEqual([]);
  const diagnostics = await provider.validateConfig?.({ allowed_account_ids: ['100000000001', 'prod'] });
  expect(diagnostics?.map((d) => d.detail)).toEqual([
    'allowed_account_ids: each entry must be an account uin (digits), received "prod"',
  ]);
});

test('configure refuses a bad environment setting, naming it and the value', async () => {
  const provider = cosInventoryProvider({ env: { ...env, COS_INVENTORY_ENDPOINT: 'localhost:9000' } });
  const diagnostics = await provider.configure?.({ allowed_account_ids: null }, '1.11.4');
  expect(diagnostics?.[0].summary).toBe('the cosinventory provider cannot start with this environment');
  expect(diagnostics?.[0].detail).toContain('COS_INVENTORY_ENDPOINT must have the form http://HOST:PORT');
  expect(diagnostics?.[0].detail).toMatch(
    /^cos-inventory provider configure: .*code=InvalidEnvironment.*; hint: \S/,
  );
  const window = cosInventoryProvider({ env: { ...env, COS_INVENTORY_READBACK_MS: 'soon' } });
  expect((await window.configure?.({}, '1.11.4'))?.[0].detail).toContain(
    'COS_INVENTORY_READBACK_MS must be a whole number',
  );
  expect(await cosInventoryProvider({ env }).configure?.({}, '1.11.4')).toEqual([]);
});
