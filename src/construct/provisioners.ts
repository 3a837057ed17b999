/**
 * The raw `local-exec` provisioner blocks. cdktf's typed provisioner API would snake-case and
 * type-check nothing we need, so they are written as overrides in Terraform's JSON shape.
 * Destroy-time provisioners may only reference `self`: what they need is in `self.input`.
 */

/** One `local-exec` block in Terraform JSON syntax. */
export interface LocalExecProvisioner {
  readonly 'local-exec': {
    readonly command: string;
    readonly environment: { readonly COS_INVENTORY_SPEC: string };
    readonly when?: 'destroy';
  };
}

/**
 * `${jsonencode({a = self.input.a, ...})}`: each entry is an HCL expression (a traversal or a
 * literal), so the handler gets one JSON object in `COS_INVENTORY_SPEC`.
 */
export function specExpression(entries: Readonly<Record<string, string>>): string {
  const body = Object.entries(entries)
    .map(([key, expression]) => `${key} = ${expression}`)
    .join(', ');
  return `\${jsonencode({${body}})}`;
}

/** A tuple literal of string literals (`["a","b"]`); values must not need escaping. */
export function stringTupleExpression(values: readonly string[]): string {
  return `[${values.map((value) => JSON.stringify(value)).join(',')}]`;
}

/** A create-time `local-exec` running `command` with `COS_INVENTORY_SPEC`. */
export function createProvisioner(command: string, spec: string): LocalExecProvisioner {
  return { 'local-exec': { command, environment: { COS_INVENTORY_SPEC: spec } } };
}

/** A destroy-time `local-exec` running `command` with `COS_INVENTORY_SPEC`. */
export function destroyProvisioner(command: string, spec: string): LocalExecProvisioner {
  return { 'local-exec': { when: 'destroy', command, environment: { COS_INVENTORY_SPEC: spec } } };
}
