/** The `hashicorp/external` stand-in: one data source, no provider configuration. */
import type { ProviderDefinition } from '../../src/tfplugin';
import { externalDataSource } from './external-data-source';

/**
 * The requirement the provisioner release (0.1.x) states for its drift check's provider: the
 * stacks scripts/upgrade-smoke.mjs applies with that release need a version the mirror holds.
 */
export const RELEASE_0_1_EXTERNAL_REQUIREMENT = { source: 'hashicorp/external', version: '>= 2.3' };

export const externalProvider: ProviderDefinition = {
  dataSources: { external: externalDataSource },
};
