/**
 * The package's entry points as a user's `require` sees them (the built lib/, resolved through
 * package.json `exports` by the package's own name): the root loads the construct only, each
 * subpath its own part, internals are unreachable, and stack traces name shipped files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs `node -e <code>` in the repository (where the package name resolves to itself). */
function node(code: string, args: readonly string[] = []): string {
  return execFileSync(process.execPath, [...args, '-e', code], { cwd: root, encoding: 'utf8' });
}

/** Whether lib/ is missing or older than a source file (tsc rewrites every output file). */
function libIsStale(): boolean {
  const built = join(root, 'lib', 'index.js');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const src = join(root, 'src');
  return readdirSync(src, { recursive: true }).some(
    (file) => String(file).endsWith('.ts') && statSync(join(src, String(file))).mtimeMs > builtAt,
  );
}

beforeAll(() => {
  if (libIsStale()) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
    });
  }
});

describe('the root entry', () => {
  it('loads neither the emulator, nor the provider runtime, nor fast-xml-parser, nor the SDK, nor node:http', () => {
    const loaded = JSON.parse(
      node(`
        require('cdktf-cos-inventory');
        console.log(JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList }));
      `),
    ) as { files: string[]; builtins: string[] };
    const ours = loaded.files.filter((file) => file.startsWith(join(root, 'lib')));
    expect(ours).toContain(join(root, 'lib', 'construct', 'bucket-inventory.js'));
    // Of the provider, only what names and writes the files a stack ships: not its runtime.
    const shipping = /[/\\]lib[/\\]provider[/\\](names|plugin-files|bundle-name|code-cache-loader)\.js$/;
    expect(
      ours.filter(
        (file) =>
          !/[/\\]lib[/\\](construct|model)[/\\]|[/\\]lib[/\\]index\.js$/.test(file) && !shipping.test(file),
      ),
    ).toEqual([]);
    expect(
      loaded.files.filter((file) =>
        /fast-xml-parser|cos-nodejs-sdk-v5|string-width|commander|@grpc|protobufjs|node-forge/.test(file),
      ),
    ).toEqual([]);
    expect(loaded.builtins).not.toContain('NativeModule http');
  });

  it('exports the construct and nothing internal', () => {
    const names = JSON.parse(
      node("console.log(JSON.stringify(Object.keys(require('cdktf-cos-inventory'))))"),
    );
    expect(names).toEqual(['BucketInventory', 'RemovedBucketInventory']);
  });

  it('keeps internals unreachable by deep import', () => {
    const code = node(`
      try { require('cdktf-cos-inventory/lib/construct/terraform-data'); console.log('reachable'); }
      catch (e) { console.log(e.code); }
    `);
    expect(code.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });
});

describe('the subpath entries', () => {
  // Each subpath exports a named list (no `export *`): a name added or lost is a decision.
  it.each([
    [
      'cdktf-cos-inventory/local-cos',
      [
        'ADMIN_PREFIX',
        'DEFAULT_APPID',
        'DEFAULT_CREDENTIALS',
        'DEFAULT_MAX_BODY_BYTES',
        'DEFAULT_ONE_TIME_DELIVERY_DELAY_MS',
        'DEFAULT_REPORT_PREFIX',
        'DEFAULT_ROWS_PER_FILE',
        'DEFAULT_STS_DURATION_SECONDS',
        'DEFAULT_UIN',
        'INVENTORY_PAGE_SIZE',
        'LocalCos',
        'MAX_INVENTORY_CONFIGURATIONS',
        'MAX_STS_DURATION_SECONDS',
        'METADATA_CREDENTIALS_PATH',
        'OPTIONAL_COLUMN_ORDER',
        'STS_VERSION',
        'parseBucketSpec',
      ],
    ],
    [
      'cdktf-cos-inventory/report',
      [
        'DeliveryNotFoundError',
        'ReportFormatError',
        'ReportIntegrityError',
        'SummaryBuilder',
        'findDelivery',
        'listDeliveries',
        'readInventoryRows',
        'readManifest',
        'verifyDelivery',
      ],
    ],
    [
      'cdktf-cos-inventory/cos',
      [
        'ClientConfigError',
        'CosError',
        'CredentialChain',
        'CredentialError',
        'DEFAULT_TIMEOUT_MS',
        'ENV_ENDPOINT',
        'ENV_RETRY_BUDGET_MS',
        'ENV_SECRET_ID',
        'ENV_SECRET_KEY',
        'ENV_SECURITY_TOKEN',
        'ENV_TIMEOUT_MS',
        'createChainClient',
        'createCosClient',
        'credentialsFromEnv',
      ],
    ],
    [
      'cdktf-cos-inventory/review',
      ['PlanFormatError', 'parsePlanJson', 'renderMarkdown', 'renderText', 'reviewPlans'],
    ],
  ])('%s exports exactly its named list', (entry, expected) => {
    const names = JSON.parse(
      node(`console.log(JSON.stringify(Object.keys(require(${JSON.stringify(entry)}))))`),
    ) as string[];
    expect([...names].sort()).toEqual(expected);
  });

  it('re-exports no module wholesale', () => {
    for (const entry of ['emulator', 'report', 'cos', 'review']) {
      const text = readFileSync(join(root, 'src', entry, 'index.ts'), 'utf8');
      expect({ entry, wholesale: /export \* from/.test(text) }).toEqual({ entry, wholesale: false });
    }
  });

  it('keeps the typed SDK wrappers out of the client entry', () => {
    const names = JSON.parse(
      node("console.log(JSON.stringify(Object.keys(require('cdktf-cos-inventory/cos'))))"),
    );
    expect(names).not.toContain('callCos');
    expect(names).not.toContain('withRetry');
    expect(names).not.toContain('putInventory');
  });
});

describe('stack traces', () => {
  // The construct throws at once when the provider bundle is missing: a frame of ours is on top.
  const failing = `
    const { App, TerraformStack } = require('cdktf');
    const { BucketInventory } = require('cdktf-cos-inventory');
    try {
      new BucketInventory(new TerraformStack(new App(), 's'), 'inv', {
        bucket: 'src-1250000000', region: 'ap-guangzhou', providerBundlePath: '/nonexistent/provider.js',
      });
    } catch (e) { console.log(e.stack); }
  `;
  const ourFrames = (stack: string): string[] =>
    [...stack.matchAll(/\(([^()]+):\d+:\d+\)/g)]
      .map((match) => match[1])
      .filter((file) => file.startsWith(root) && !file.includes('node_modules'));

  it.each([
    ['without source maps', []],
    ['with --enable-source-maps', ['--enable-source-maps']],
  ])('point at files the package ships, %s', (_label, args) => {
    const frames = ourFrames(node(failing, args));
    expect(frames.length).toBeGreaterThan(0);
    for (const file of frames) {
      expect(file).toMatch(args.length > 0 ? /[/\\]src[/\\].*\.ts$/ : /[/\\]lib[/\\].*\.js$/);
      expect(existsSync(file)).toBe(true);
    }
  });
});
