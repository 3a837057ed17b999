/**
 * Where the contract tests run: the local endpoint by default, or real COS when
 * `COS_INVENTORY_LIVE=1` and the variables below are set (the convention of Terraform
 * providers' acceptance tests: `TF_ACC=1` plus the provider's credential variables).
 */
import { randomBytes } from 'node:crypto';
import { createCosClient, type CosClient } from '../../src/cos/client';
import { systemClock, type Clock } from '../../src/cos/retry';
import type { LocalCos, LocalCosClock } from '../../src/emulator';
import { startKit, TestClock } from '../kit';

export const LIVE_SWITCH = 'COS_INVENTORY_LIVE';
/** What a live run needs, besides `COS_INVENTORY_LIVE=1`. */
export const LIVE_VARIABLES = [
  'TENCENTCLOUD_SECRET_ID',
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_REGION',
  'COS_INVENTORY_TEST_SOURCE_BUCKET',
  'COS_INVENTORY_TEST_DESTINATION_BUCKET',
  'COS_INVENTORY_TEST_OWNER_UIN',
] as const;

export const HOW_TO_RUN_LIVE =
  `set ${LIVE_SWITCH}=1 and ${LIVE_VARIABLES.join(', ')} (optional TENCENTCLOUD_SECURITY_TOKEN) ` +
  'to run them against real COS (see docs/contract-tests.md)';

/** How the local endpoint behaves in one contract run. */
export interface LocalMode {
  readonly name: string;
  readonly consistencyLagMs: number;
  readonly normalizePolicy: boolean;
}

/** COS's behaviours off, then on as the CLI emulator has them by default (lag, normalised policy). */
export const LOCAL_MODES: readonly LocalMode[] = [
  { name: 'local, lag and policy normalisation off', consistencyLagMs: 0, normalizePolicy: false },
  { name: 'local, 1000 ms lag and normalised policy', consistencyLagMs: 1000, normalizePolicy: true },
];

export interface ContractTarget {
  readonly kind: 'local' | 'live';
  readonly name: string;
  readonly region: string;
  readonly source: string;
  readonly destination: string;
  readonly ownerUin: string;
  /** The environment handed to the provider and the CLI (credentials, endpoint). */
  readonly env: Record<string, string>;
  readonly client: CosClient;
  /** The local endpoint, to inspect its request log; `undefined` live. */
  readonly local: LocalCos | undefined;
  /**
   * What the provider and the CLI wait with: locally the endpoint's own TestClock (its lag and
   * delivery delay pass in virtual time), live the wall clock.
   */
  readonly clock: Clock & LocalCosClock;
  /** Seconds `run --wait` may wait for a delivery. */
  readonly deliveryTimeoutSeconds: number;
  close(): Promise<void>;
}

/** A fresh id, safe as an inventory id and unique per test run. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** `undefined` when the live switch is off; else the missing variables (may be none). */
export function missingLiveVariables(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (env[LIVE_SWITCH] !== '1') return undefined;
  return LIVE_VARIABLES.filter((name) => !env[name]);
}

export function isLive(env: NodeJS.ProcessEnv = process.env): boolean {
  const missing = missingLiveVariables(env);
  return missing !== undefined && missing.length === 0;
}

/**
 * The local endpoint in `mode`. `clock` defaults to a fresh TestClock shared with the provider
 * and CLI runs; a target that other processes (Terraform's provisioners) talk to needs the
 * wall clock, so its lag passes for them too.
 */
export async function startLocal(
  mode: LocalMode,
  clock: Clock & LocalCosClock = new TestClock(),
): Promise<ContractTarget> {
  const region = 'ap-guangzhou';
  const source = 'contract-src-1250000000';
  const destination = 'contract-dst-1250000000';
  const kit = await startKit({
    consistencyLagMs: mode.consistencyLagMs,
    normalizePolicy: mode.normalizePolicy,
    buckets: [`${source}@${region}`, `${destination}@${region}`],
    clock,
  });
  return {
    kind: 'local',
    name: mode.name,
    region,
    source,
    destination,
    ownerUin: '100000000001',
    env: kit.env(),
    client: kit.client,
    local: kit.cos,
    clock,
    deliveryTimeoutSeconds: 60,
    close: () => kit.close(),
  };
}

/** The wall clock: live runs, and a local endpoint other processes talk to. */
export const WALL_CLOCK: Clock & LocalCosClock = {
  ...systemClock,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export async function startLive(env: NodeJS.ProcessEnv = process.env): Promise<ContractTarget> {
  const value = (name: string): string => env[name] ?? '';
  const credentials: Record<string, string> = {
    TENCENTCLOUD_SECRET_ID: value('TENCENTCLOUD_SECRET_ID'),
    TENCENTCLOUD_SECRET_KEY: value('TENCENTCLOUD_SECRET_KEY'),
    ...(env.TENCENTCLOUD_SECURITY_TOKEN
      ? { TENCENTCLOUD_SECURITY_TOKEN: env.TENCENTCLOUD_SECURITY_TOKEN }
      : {}),
  };
  const client = await createCosClient({
    secretId: credentials.TENCENTCLOUD_SECRET_ID,
    secretKey: credentials.TENCENTCLOUD_SECRET_KEY,
    ...(credentials.TENCENTCLOUD_SECURITY_TOKEN
      ? { securityToken: credentials.TENCENTCLOUD_SECURITY_TOKEN }
      : {}),
  });
  return {
    kind: 'live',
    name: 'real cos',
    region: value('TENCENTCLOUD_REGION'),
    source: value('COS_INVENTORY_TEST_SOURCE_BUCKET'),
    destination: value('COS_INVENTORY_TEST_DESTINATION_BUCKET'),
    ownerUin: value('COS_INVENTORY_TEST_OWNER_UIN'),
    env: credentials,
    client,
    local: undefined,
    clock: WALL_CLOCK,
    // COS documents no delivery time for a one-time run.
    deliveryTimeoutSeconds: Number(env.COS_INVENTORY_TEST_DELIVERY_TIMEOUT_S ?? 3600),
    close: () => Promise.resolve(),
  };
}

/** One target of this run: its name (known before it starts) and how to start it. */
export interface TargetEntry {
  readonly name: string;
  /** `clock` only matters locally (see `startLocal`); live runs use the wall clock. */
  start(clock?: Clock & LocalCosClock): Promise<ContractTarget>;
}

/** The targets of this run, with the one line saying what runs and how to run the rest. */
export function contractTargets(): { readonly targets: readonly TargetEntry[]; readonly note: string } {
  const missing = missingLiveVariables();
  if (missing === undefined) {
    return {
      targets: LOCAL_MODES.map((mode) => ({ name: mode.name, start: (clock) => startLocal(mode, clock) })),
      note: `contract tests run against the local endpoint only; ${HOW_TO_RUN_LIVE}`,
    };
  }
  if (missing.length > 0) {
    return {
      targets: [],
      note: `contract tests skipped: ${LIVE_SWITCH}=1 but ${missing.join(', ')} not set; ${HOW_TO_RUN_LIVE}`,
    };
  }
  return {
    targets: [{ name: 'real cos', start: () => startLive() }],
    note: 'contract tests run against real cos',
  };
}
