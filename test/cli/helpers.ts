/**
 * Helpers for the `cos-inventory import` and `status` tests: jobs put through the raw SDK, and
 * the printed module compiled and synthesized (the endpoint itself: test/kit).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import COS from 'cos-nodejs-sdk-v5';
import * as ts from 'typescript';
import * as thisPackage from '../../src';
import type { BucketInventory } from '../../src/construct';
import type { LocalCos } from '../../src/emulator';
import { jobResourceName } from '../../src/construct/logical-names';
import type { InventoryConfiguration } from '../../src/model/configuration';
import {
  configurationFromAttributes,
  JOB_ATTRIBUTE_NAMES,
  jobImportId,
  type JobAttributes,
} from '../../src/model/job-attributes';
import { JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { mapBounded } from '../../src/util/map-bounded';
import { ROOT } from '../cli-process';

/** Puts every configuration through the raw SDK, as the console or another tool would. */
export async function putThroughSdk(
  local: LocalCos,
  bucket: string,
  region: string,
  configs: readonly InventoryConfiguration[],
): Promise<void> {
  const cos = new COS(local.sdkOptions());
  await mapBounded(configs, 8, (config) =>
    cos.putBucketInventory({
      Bucket: bucket,
      Region: region,
      Id: config.Id,
      InventoryConfiguration: config as unknown as COS.InventoryConfiguration,
    }),
  );
}

/** The printed module as CommonJS, evaluated with `cdktf-cos-inventory` resolved to the sources. */
export function loadModule(source: string): Record<string, unknown> {
  const { outputText, diagnostics } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true },
    reportDiagnostics: true,
  });
  if (diagnostics && diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost({})));
  }
  const exports: Record<string, unknown> = {};
  const requireFor = (name: string): unknown => {
    if (name === 'cdktf-cos-inventory') return thisPackage;
    throw new Error(
      `the imported module requires ${name}: only constructs and cdktf-cos-inventory are allowed`,
    );
  };
  new Function('require', 'exports', 'module', outputText)(requireFor, exports, { exports });
  return exports;
}

/** Type-checks the printed module (strict) against the package's sources; returns the diagnostics. */
export function typeCheck(source: string): string[] {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'import-typecheck-'));
  try {
    const file = join(dir, 'imported.ts');
    fs.writeFileSync(file, source);
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: {
        'cdktf-cos-inventory': ['src/index.ts'],
        constructs: ['node_modules/constructs'],
        '*': ['node_modules/*', 'node_modules/@types/*'],
      },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Terraform's reading of an escaped string: `$${` is `${`, `%%{` is `%{`; map keys too. */
function unescapeTemplates(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  if (Array.isArray(value)) return value.map(unescapeTemplates);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [unescapeTemplates(k) as string, unescapeTemplates(v)]),
    );
  }
  return value;
}

/** One `import` block of a synthesized stack (cdktf `importFrom`). */
export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

/**
 * Synthesizes what the module's function declares; returns the job configurations Terraform
 * holds (the `cosinventory_job` attributes read back) and the stack's import blocks.
 */
export function synthImported(exports: Record<string, unknown>): {
  inventory: BucketInventory;
  configurations: InventoryConfiguration[];
  imports: ImportBlock[];
} {
  const functions = Object.values(exports).filter((v) => typeof v === 'function');
  if (functions.length !== 1) throw new Error(`expected one exported function, found ${functions.length}`);
  const declare = functions[0] as (scope: Construct) => BucketInventory;
  const stack = new TerraformStack(Testing.app(), 'imported');
  const inventory = declare(stack);
  const synthesized = JSON.parse(Testing.synth(stack, true)) as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
    import?: { to: string; id: string }[];
  };
  const configurations = Object.values(synthesized.resource?.[JOB_RESOURCE_TYPE] ?? {}).map((block) => {
    const attributes = Object.fromEntries(JOB_ATTRIBUTE_NAMES.map((name) => [name, block[name] ?? null]));
    return configurationFromAttributes(unescapeTemplates(attributes) as JobAttributes);
  });
  const imports = (synthesized.import ?? []).map(({ to, id }) => ({ to, id }));
  return { inventory, configurations, imports };
}

/** The import blocks that adopt `ids`, as `BucketInventory.importJob` writes them. */
export function expectedImports(
  constructId: string,
  bucket: string,
  region: string,
  ids: string[],
): ImportBlock[] {
  return ids.map((id) => ({
    to: `${JOB_RESOURCE_TYPE}.${jobResourceName(constructId, id)}`,
    id: jobImportId(region, bucket, id),
  }));
}

/**
 * Whether prettier, with this project's settings, leaves `text` unchanged (its command line:
 * prettier's API loads ES modules, which jest's CommonJS runtime cannot).
 */
export function prettierLeavesUnchanged(text: string): boolean {
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
        '--check',
        '--stdin-filepath',
        'src/imported.ts',
      ],
      { cwd: ROOT, input: text, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return true;
  } catch {
    return false;
  }
}
