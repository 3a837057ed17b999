/**
 * One framework per app. This library imports `cdktf`; a CDK Terrain (`cdktn`) app works when
 * the package manager resolves `cdktf` to `cdktn` (an override, see the README). Without it, the
 * app's stack and our resources come from different frameworks and the synth crashes deep in
 * the framework (`_resetResolveDiscoveredProviderFeatureUsage is not a function`): this check
 * turns that into an error naming the fix, at the construct.
 */
import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

// jsii's runtime type information, set on every class of cdktf and cdktn: `{ fqn, version }`.
const JSII_RTTI = Symbol.for('jsii.rtti');

interface FrameworkInfo {
  readonly name: string;
  readonly version: string;
}

/** The framework (`cdktf` or `cdktn`) and version a stack class comes from, when known. */
export function frameworkOfClass(cls: unknown): FrameworkInfo | undefined {
  for (let current = cls; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    const rtti = Object.getOwnPropertyDescriptor(current, JSII_RTTI)?.value as
      { readonly fqn?: unknown; readonly version?: unknown } | undefined;
    if (typeof rtti?.fqn === 'string' && rtti.fqn.endsWith('.TerraformStack')) {
      return { name: rtti.fqn.slice(0, -'.TerraformStack'.length), version: String(rtti.version) };
    }
  }
  return undefined;
}

/** The `major.minor` of a version: within one framework they are compatible. */
function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/**
 * Throws when `scope`'s stack comes from another framework (or another minor version) than the
 * `cdktf` this library resolved, naming both and the override that fixes it.
 */
export function assertSameFramework(scope: IConstruct, id: string): void {
  const app = frameworkOfClass(TerraformStack.of(scope).constructor);
  const ours = frameworkOfClass(TerraformStack);
  if (!app || !ours) return;
  if (app.name === ours.name && minorOf(app.version) === minorOf(ours.version)) return;
  const fix =
    app.name === 'cdktn'
      ? `add "overrides": { "cdktf": "npm:cdktn@${app.version}" } to your package.json and run npm install`
      : `install one framework: cdktf ${app.version} or cdktn alone, with "cdktf" aliased to it`;
  throw new Error(
    `${[scope.node.path, id].filter(Boolean).join('/')}: the app's stack comes from ${app.name} ${app.version} but cdktf-cos-inventory ` +
      `resolved 'cdktf' to ${ours.name} ${ours.version}, and one app cannot mix them; ${fix} ` +
      '(see "Using it in your own project" in the README of cdktf-cos-inventory)',
  );
}
