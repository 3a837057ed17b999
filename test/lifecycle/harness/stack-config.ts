/**
 * Loads a Terraform working directory as Terraform does: every `*.tf.json` and `*.tf` file
 * in it (not in subdirectories), merged block by block. `.tf` files (what `cdktf synth --hcl`
 * writes) are converted with @cdktf/hcl2json, whose output is Terraform JSON syntax with
 * every block as an array.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from '@cdktf/hcl2json';

import { ConfigError } from './tf-config';
import type { JsonValue } from './values';

export async function loadStackConfig(stackDir: string): Promise<{ [key: string]: JsonValue }> {
  const files = fs
    .readdirSync(stackDir)
    .filter((f) => f.endsWith('.tf.json') || f.endsWith('.tf'))
    .sort();
  if (files.length === 0) throw new ConfigError(`${stackDir}: no *.tf or *.tf.json file`);
  const merged: { [key: string]: JsonValue[] } = {};
  for (const file of files) {
    const text = fs.readFileSync(path.join(stackDir, file), 'utf8');
    let content: unknown;
    try {
      content = file.endsWith('.tf.json') ? JSON.parse(text) : await parse(file, text);
    } catch (error) {
      throw new ConfigError(`${file}: ${(error as Error).message}`);
    }
    if (typeof content !== 'object' || content === null || Array.isArray(content)) {
      throw new ConfigError(`${file}: expected an object of blocks`);
    }
    for (const [key, value] of Object.entries(content as Record<string, JsonValue>)) {
      // "//" holds cdktf's comments; Terraform ignores it.
      if (key === '//') continue;
      merged[key] = [...(merged[key] ?? []), ...(Array.isArray(value) ? value : [value])];
    }
  }
  return merged;
}
