/**
 * A test-only provider with one managed resource, `files_file`: a text file under the
 * provider's `root` directory. It exercises the managed-resource plumbing of src/tfplugin
 * under real Terraform (plan, apply, refresh, replace, import, destroy) the way issue 19's
 * provider will use it; its state lives on disk, so it survives Terraform's plugin restarts.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ctyString,
  errorDiagnostic,
  attributePath,
  type ProviderDefinition,
  type TfObject,
} from '../../src/tfplugin';

let root = '';

function read(path: string): string | undefined {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
}

function write(state: TfObject): TfObject {
  const path = String(state.path);
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), String(state.content));
  return { ...state, id: path };
}

export const filesProvider: ProviderDefinition = {
  schema: { block: { attributes: { root: { type: ctyString, required: true } } } },
  configure: (config) => {
    root = String(config.root);
    return [];
  },
  resources: {
    files_file: {
      schema: {
        version: 1,
        block: {
          attributes: {
            path: { type: ctyString, required: true, requiresReplace: true },
            content: { type: ctyString, required: true },
            id: { type: ctyString, computed: true },
          },
        },
      },
      validate: (config) =>
        typeof config.path === 'string' && config.path.startsWith('/')
          ? [
              errorDiagnostic(
                'absolute path',
                `path ${config.path} must be relative to root`,
                attributePath('path'),
              ),
            ]
          : [],
      upgradeState: async (state, version) => ({
        state: version === 0 ? { path: state.path, content: state.body, id: state.id } : state,
      }),
      create: async ({ plannedState }) => ({ state: write(plannedState) }),
      update: async ({ plannedState }) => ({ state: write(plannedState) }),
      delete: async (prior) => {
        rmSync(join(root, String(prior.path)), { force: true });
        return {};
      },
      read: async (state) => {
        const content = read(String(state.path));
        return { state: content === undefined ? null : { ...state, content } };
      },
      importState: async (id) => {
        const content = read(id);
        return content === undefined
          ? { diagnostics: [errorDiagnostic('cannot import', `no file ${id} under ${root}`)] }
          : { state: { path: id, content, id } };
      },
    },
  },
};
