/**
 * The `cosinventory` provider: its block (`allowed_account_ids`, like the Tencent provider's
 * argument of that name; each resource has its own too) and its resources, over one ProviderRuntime per process.
 */
import { ctyString, listOf } from '../tfplugin/cty-type';
import type { ProviderDefinition } from '../tfplugin/provider';
import type { Schema } from '../tfplugin/schema';
import { ALLOWED_ACCOUNT_IDS, guardIds, guardProblems } from './account-guard';
import { DELIVERY_DATA_SOURCE_TYPE, deliveryDataSource } from './delivery-data-source';
import { grantResource } from './grant-resource';
import { jobResource } from './job-resource';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from './names';
import { ProviderRuntime, type ProviderRuntimeOptions } from './provider-runtime';

export const PROVIDER_SCHEMA: Schema = {
  block: {
    description:
      'COS inventory jobs and destination policy statements. Credentials come from the environment (the Tencent provider sources and order); COS_INVENTORY_ENDPOINT and the other COS_INVENTORY_* settings as for the cos-inventory CLI.',
    attributes: {
      allowed_account_ids: {
        type: listOf(ctyString),
        optional: true,
        description:
          'Accounts (UINs) this configuration may change: the credential is checked with GetCallerIdentity before the first write. Each resource has an allowed_account_ids of its own; both apply when both are set.',
      },
    },
  },
};

/** The provider over a runtime of its own (tests pass the environment and a test clock). */
export function cosInventoryProvider(options: ProviderRuntimeOptions): ProviderDefinition & {
  readonly runtime: ProviderRuntime;
} {
  const runtime = new ProviderRuntime(options);
  return {
    runtime,
    schema: PROVIDER_SCHEMA,
    resources: {
      [JOB_RESOURCE_TYPE]: jobResource(runtime),
      [GRANT_RESOURCE_TYPE]: grantResource(runtime),
    },
    dataSources: {
      [DELIVERY_DATA_SOURCE_TYPE]: deliveryDataSource(runtime),
    },
    validateConfig(config) {
      return guardProblems(config[ALLOWED_ACCOUNT_IDS], 'invalid provider "cosinventory"');
    },
    configure(config) {
      try {
        runtime.configure(guardIds(config[ALLOWED_ACCOUNT_IDS]));
        return [];
      } catch (error) {
        // The one error line with its hint (the variable that was wrong and what it takes).
        return [
          runtime.failure('the cosinventory provider cannot start with this environment', error, {
            verb: 'provider configure',
            bucket: '',
            id: '',
          }),
        ];
      }
    },
  };
}
