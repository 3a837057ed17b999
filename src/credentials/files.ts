import { readFileSync } from 'node:fs';

/** Reads a text file; `undefined` when it does not exist. Injected in tests. */
export type FileReader = (path: string) => string | undefined;

export const nodeFileReader: FileReader = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
};
