/**
 * The schema of `cosinventory_destination_grant`: one statement of a destination bucket's
 * policy, and the statement it stands for (`InventoryPolicyStatement`).
 */
import { INVENTORY_ACTION, type InventoryPolicyStatement, type PolicyStatement } from '../model/policy';
import { ctyString, listOf } from '../tfplugin/cty-type';
import type { Schema } from '../tfplugin/schema';
import type { TfObject, TfValue } from '../tfplugin/value';
import { ALLOWED_ACCOUNT_IDS, guardIds, RESOURCE_GUARD_ATTRIBUTE } from './account-guard';

export const GRANT_SCHEMA: Schema = {
  version: 0,
  block: {
    description:
      "One statement of a destination bucket's policy letting COS deliver inventory reports there; other statements are never touched.",
    attributes: {
      id: { type: ctyString, computed: true, description: '`<region>/<bucket>/<sid>`.' },
      bucket: {
        type: ctyString,
        required: true,
        requiresReplace: true,
        description: 'Destination bucket `name-appid`; a change replaces the grant.',
      },
      region: {
        type: ctyString,
        required: true,
        requiresReplace: true,
        description: 'Region of the destination bucket; a change replaces the grant.',
      },
      sid: {
        type: ctyString,
        required: true,
        description: "The statement's sid; a change swaps the statements in one policy write.",
      },
      principals: {
        type: listOf(ctyString),
        required: true,
        description: 'CAM principals (`principal.qcs`).',
      },
      resources: {
        type: listOf(ctyString),
        required: true,
        description: 'Object ARNs reports may be written to.',
      },
      role_arn: {
        type: ctyString,
        optional: true,
        description: "Role of the destination's account assumed for this grant's policy edits.",
      },
      [ALLOWED_ACCOUNT_IDS]: RESOURCE_GUARD_ATTRIBUTE,
    },
  },
};

export interface GrantAttributes {
  readonly bucket: string;
  readonly region: string;
  readonly sid: string;
  readonly principals: readonly string[];
  readonly resources: readonly string[];
  readonly roleArn: string | null;
  /** The account guard (`allowed_account_ids`). @default null (unset) */
  readonly allowedAccountIds?: readonly string[] | null;
}

const strings = (value: TfValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export function grantAttributesOf(value: TfObject): GrantAttributes {
  return {
    bucket: typeof value.bucket === 'string' ? value.bucket : '',
    region: typeof value.region === 'string' ? value.region : '',
    sid: typeof value.sid === 'string' ? value.sid : '',
    principals: strings(value.principals),
    resources: strings(value.resources),
    roleArn: typeof value.role_arn === 'string' && value.role_arn !== '' ? value.role_arn : null,
    allowedAccountIds: guardIds(value[ALLOWED_ACCOUNT_IDS]) ?? null,
  };
}

/** `<region>/<bucket>/<sid>`. */
export function grantId(region: string, bucket: string, sid: string): string {
  return `${region}/${bucket}/${sid}`;
}

export function grantState(attributes: GrantAttributes): TfObject {
  return {
    id: grantId(attributes.region, attributes.bucket, attributes.sid),
    bucket: attributes.bucket,
    region: attributes.region,
    sid: attributes.sid,
    principals: [...attributes.principals],
    resources: [...attributes.resources],
    role_arn: attributes.roleArn,
    [ALLOWED_ACCOUNT_IDS]: attributes.allowedAccountIds ? [...attributes.allowedAccountIds] : null,
  };
}

/** The statement a grant writes. */
export function grantStatement(attributes: GrantAttributes): InventoryPolicyStatement {
  return {
    sid: attributes.sid,
    effect: 'allow',
    principal: { qcs: [...attributes.principals] },
    action: [INVENTORY_ACTION],
    resource: [...attributes.resources],
  };
}

/** A list member of a stored statement, whatever casing and form (string or list) COS answers with. */
function member(statement: PolicyStatement, ...names: string[]): string[] {
  for (const name of names) {
    const value = statement[name];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  }
  return [];
}

/** The principals and resources of a stored statement. */
export function statementTargets(statement: PolicyStatement): { principals: string[]; resources: string[] } {
  const principal = statement.principal ?? statement.Principal;
  const principals =
    typeof principal === 'object' && principal !== null
      ? member(principal as PolicyStatement, 'qcs', 'QCS')
      : [];
  return { principals, resources: member(statement, 'resource', 'Resource') };
}
