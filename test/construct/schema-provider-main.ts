/**
 * A test-only stand-in of the `cosinventory` provider: the contract's schemas (the job's from the
 * model's attribute names) and no remote effects. It lets real Terraform validate and plan what
 * the construct synthesizes, and import (any id names a job) without COS.
 */
import { JOB_ATTRIBUTE_NAMES, JOB_REPLACE_ATTRIBUTES } from '../../src/model/job-attributes';
import { ALLOWED_ACCOUNT_IDS, RESOURCE_GUARD_ATTRIBUTE } from '../../src/provider/account-guard';
import {
  ctyBool,
  ctyString,
  listOf,
  mapOf,
  runPluginProcess,
  type AttributeSchema,
  type ResourceDefinition,
  type TfObject,
} from '../../src/tfplugin';

const JOB_TYPES: Readonly<Record<string, AttributeSchema['type']>> = {
  enabled: ctyBool,
  filter_tags: mapOf(ctyString),
  optional_fields: listOf(ctyString),
};

const replace: readonly string[] = JOB_REPLACE_ATTRIBUTES;

function echoResource(
  attributes: Record<string, AttributeSchema>,
  id: (s: TfObject) => string,
): ResourceDefinition {
  const withId = async ({ plannedState }: { plannedState: TfObject }) => ({
    state: { ...plannedState, id: id(plannedState) },
  });
  return {
    schema: { version: 0, block: { attributes: { ...attributes, id: { type: ctyString, computed: true } } } },
    create: withId,
    update: withId,
    delete: async () => ({}),
    read: async (state) => ({ state }),
  };
}

const job = echoResource(
  {
    ...Object.fromEntries(
      JOB_ATTRIBUTE_NAMES.map((name) => [
        name,
        { type: JOB_TYPES[name] ?? ctyString, optional: true, requiresReplace: replace.includes(name) },
      ]),
    ),
    [ALLOWED_ACCOUNT_IDS]: RESOURCE_GUARD_ATTRIBUTE,
  },
  (s) => `${String(s.region)}/${String(s.bucket)}/${String(s.job_id)}`,
);

void runPluginProcess({
  schema: { block: { attributes: { allowed_account_ids: { type: listOf(ctyString), optional: true } } } },
  resources: {
    cosinventory_job: {
      ...job,
      importState: async (id) => {
        const [region, bucket, jobId] = id.split('/');
        return { state: { region, bucket, job_id: jobId, id } };
      },
    },
    cosinventory_destination_grant: echoResource(
      {
        bucket: { type: ctyString, required: true, requiresReplace: true },
        region: { type: ctyString, required: true, requiresReplace: true },
        sid: { type: ctyString, required: true },
        principals: { type: listOf(ctyString), required: true },
        resources: { type: listOf(ctyString), required: true },
        role_arn: { type: ctyString, optional: true },
        [ALLOWED_ACCOUNT_IDS]: RESOURCE_GUARD_ATTRIBUTE,
      },
      (s) => `${String(s.region)}/${String(s.bucket)}/${String(s.sid)}`,
    ),
  },
});
