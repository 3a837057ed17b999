/** The `hashicorp/external` stand-in: one data source, no provider configuration. */
import type { ProviderDefinition } from '../../src/tfplugin';
import { externalDataSource } from './external-data-source';

export const externalProvider: ProviderDefinition = {
  dataSources: { external: externalDataSource },
};
