/** Where the provider bundle sits beside the executable. */
export const PROVIDER_BUNDLE_NAME = 'cosinventory-provider.js';
