/**
 * The `cosinventory` provider: its block (`allowed_account_ids`, like the Tencent provider's
 * argument of that name) and its resources, over one ProviderRuntime per process.
 */
import { ACCOUNT_ID_PATTERN } from '../model/account';
import { diagnosticFromError, errorDiagnostic } from '../tfplugin/diagnostics';
import { ctyString, listOf } from '../tfplugin/cty-type';
import type { ProviderDefinition } from '../tfplugin/provider';
import type { Schema } from '../tfplugin/schema';
import { isUnknown } from '../tfplugin/value';
import { DELIVERY_DATA_SOURCE_TYPE, deliveryDataSource } from './delivery-data-source';
import { grantResource } from './grant-resource';
import { jobResource } from './job-resource';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from './names';
import { ProviderRuntime, type ProviderRuntimeOptions } from './provider-runtime';

export const PROVIDER_SCHEMA: Schema = {
  block: {
    description:
      'COS inventory jobs and destination policy statements. Credentials come from the environment (the Tencent provider sources and order); COS_INVENTORY_ENDPOINT and the other COS_INVENTORY_* settings as for the handler.',
    attributes: {
      allowed_account_ids: {
        type: listOf(ctyString),
        optional: true,
        description:
          'Accounts (UINs) this configuration may change: the credential is checked with GetCallerIdentity before the first write.',
      },
    },
  },
};

function accountIds(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : undefined;
}

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
      const ids = config.allowed_account_ids;
      if (!Array.isArray(ids)) return [];
      return ids
        .filter((id) => !isUnknown(id) && (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)))
        .map((id) =>
          errorDiagnostic(
            'invalid provider "cosinventory"',
            `allowed_account_ids: each entry must be an account uin (digits), received ${JSON.stringify(id)}`,
          ),
        );
    },
    configure(config) {
      try {
        runtime.configure(accountIds(config.allowed_account_ids));
        return [];
      } catch (error) {
        return [diagnosticFromError(error, 'the cosinventory provider cannot start with this environment')];
      }
    },
  };
}
