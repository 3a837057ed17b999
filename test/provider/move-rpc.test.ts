/**
 * MoveResourceState over the plugin protocol, as Terraform sends it for a `moved` block from a
 * `terraform_data`: the source state as the state file's JSON (a dynamic `triggers_replace` is
 * `{ value, type }`), the capability announced in GetMetadata and GetProviderSchema.
 */
import { decodeValue } from '../../src/tfplugin/dynamic-value';
import type { Message } from '../../src/tfplugin';
import { cosInventoryProvider } from '../../src/provider/provider';
import { decodePrivate } from '../../src/provider/private-state';
import { connect, type PluginConnection } from '../tfplugin/plugin-client';
import { jobConfiguration, jobValue, legacyStatement, REGION, SOURCE, DESTINATION } from './helpers';

let plugin: PluginConnection;
const env = { TENCENTCLOUD_SECRET_ID: 'AKIDexample', TENCENTCLOUD_SECRET_KEY: 'secretexample' };

beforeAll(async () => {
  plugin = await connect(cosInventoryProvider({ env }));
});
afterAll(() => plugin.close());

/** The bytes Terraform sends: the instance's attributes from the state file. */
function sourceState(triggers: Record<string, unknown>): { json: Buffer } {
  const attributes = {
    id: 'b1a4',
    input: null,
    output: null,
    triggers_replace: { value: triggers, type: ['object', {}] },
  };
  return { json: Buffer.from(JSON.stringify(attributes, null, 2)) };
}

test('the move_resource_state capability is announced', async () => {
  const metadata = await plugin.call('provider', 'GetMetadata', {});
  expect(metadata.server_capabilities).toMatchObject({
    move_resource_state: true,
    get_provider_schema_optional: true,
  });
  const schema = await plugin.call('provider', 'GetProviderSchema', {});
  expect(schema.server_capabilities).toMatchObject({ move_resource_state: true });
});

test('a job and a policy resource of 0.1.0 move; their state and private state come back', async () => {
  const job = await plugin.call('provider', 'MoveResourceState', {
    source_provider_address: 'terraform.io/builtin/terraform',
    source_type_name: 'terraform_data',
    source_schema_version: 0,
    source_state: sourceState({
      bucket: SOURCE,
      region: REGION,
      id: 'daily',
      configuration: jobConfiguration('daily'),
    }),
    target_type_name: 'cosinventory_job',
  });
  expect(job.diagnostics).toEqual([]);
  expect(decodeValue((job.target_state as { msgpack: Buffer }).msgpack)).toEqual({
    ...jobValue('daily'),
    // The move carries no guard (0.1.0 kept it in the provisioner, not in state): the next plan adds it.
    allowed_account_ids: null,
  });

  const statement = legacyStatement(SOURCE);
  const grant = await plugin.call('provider', 'MoveResourceState', {
    source_provider_address: 'terraform.io/builtin/terraform',
    source_type_name: 'terraform_data',
    source_state: sourceState({
      bucket: DESTINATION,
      region: REGION,
      statements: [statement],
      sids: [statement.sid],
    }),
    target_type_name: 'cosinventory_destination_grant',
  });
  expect(grant.diagnostics).toEqual([]);
  expect(decodePrivate(grant.target_private as Buffer)).toEqual({ legacySids: [statement.sid] });
});

test('a move of another type answers an error diagnostic', async () => {
  const refused: Message = await plugin.call('provider', 'MoveResourceState', {
    source_provider_address: 'registry.terraform.io/hashicorp/null',
    source_type_name: 'null_resource',
    source_state: { json: Buffer.from('{"id":"1"}') },
    target_type_name: 'cosinventory_job',
  });
  expect(refused.diagnostics).toMatchObject([
    { severity: 'ERROR', summary: 'cannot move null_resource to cosinventory_job' },
  ]);
  expect(refused.target_state).toBeFalsy();
});
