/**
 * Stack-wide defaults of the boolean switches, the CDK way: `cdktf.json` `context` keys (or
 * `new App({ context })`) read with `node.tryGetContext`, so one line turns the drift check off
 * for every `BucketInventory` of an app. A prop set on a construct still wins.
 */
import type { Node } from 'constructs';
import type { Problem } from '../model/problem';

/** The context key of each switch. */
export const CONTEXT_KEYS = {
  driftCheck: 'cdktf-cos-inventory:driftCheck',
  deliveryCheck: 'cdktf-cos-inventory:deliveryCheck',
  reportOutputs: 'cdktf-cos-inventory:reportOutputs',
} as const;

export type ContextSwitch = keyof typeof CONTEXT_KEYS;

/** The built-in default of each switch (the props' `@default`). */
export const SWITCH_DEFAULTS: Readonly<Record<ContextSwitch, boolean>> = {
  driftCheck: true,
  deliveryCheck: false,
  reportOutputs: true,
};

/** Where a switch's value came from. */
export type SwitchSource = 'prop' | 'context' | 'default';

export interface ResolvedSwitch {
  readonly value: boolean;
  readonly source: SwitchSource;
}

export interface ResolvedSwitches {
  readonly switches: Readonly<Record<ContextSwitch, ResolvedSwitch>>;
  /** Context values that are no boolean (reported at synth with the key). */
  readonly problems: readonly Problem[];
}

/**
 * `true`/`false`, or the strings `"true"`/`"false"` (`cdktf synth --context`-style values and
 * environment-provided context arrive as strings); anything else is a problem.
 */
function contextBoolean(key: string, value: unknown): boolean | Problem {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return { field: `context ${key}`, value, message: 'must be true or false' };
}

/** Each switch from its prop, else the app's context, else the built-in default. */
export function resolveSwitches(
  node: Node,
  props: Readonly<Partial<Record<ContextSwitch, boolean>>>,
): ResolvedSwitches {
  const problems: Problem[] = [];
  const switches = {} as Record<ContextSwitch, ResolvedSwitch>;
  for (const name of Object.keys(CONTEXT_KEYS) as ContextSwitch[]) {
    const prop = props[name];
    if (prop !== undefined) {
      switches[name] = { value: prop, source: 'prop' };
      continue;
    }
    const raw: unknown = node.tryGetContext(CONTEXT_KEYS[name]);
    const parsed = raw === undefined ? undefined : contextBoolean(CONTEXT_KEYS[name], raw);
    if (typeof parsed === 'boolean') {
      switches[name] = { value: parsed, source: 'context' };
    } else {
      if (parsed !== undefined) problems.push(parsed);
      switches[name] = { value: SWITCH_DEFAULTS[name], source: 'default' };
    }
  }
  return { switches, problems };
}
