/**
 * The schema of `cosinventory_job`: the flat attributes of src/model/job-attributes.ts plus the
 * computed `id` and the account guard `allowed_account_ids` (the provider's, not COS's), and the conversion between Terraform values and those attributes. Flat
 * attributes make a plan show one line per changed field; region, bucket and job id name a
 * different COS job, so only they replace the resource.
 */
import { JOB_REPLACE_ATTRIBUTES, jobImportId, type JobAttributes } from '../model/job-attributes';
import { ctyBool, ctyString, listOf, mapOf, type CtyType } from '../tfplugin/cty-type';
import type { AttributeSchema, Schema } from '../tfplugin/schema';
import { isObject, type TfObject, type TfValue } from '../tfplugin/value';
import { ALLOWED_ACCOUNT_IDS, RESOURCE_GUARD_ATTRIBUTE } from './account-guard';

const REPLACES: ReadonlySet<string> = new Set(JOB_REPLACE_ATTRIBUTES);

function attribute(
  name: keyof JobAttributes,
  type: CtyType,
  required: boolean,
  description: string,
): AttributeSchema {
  return {
    type,
    description,
    ...(required ? { required: true } : { optional: true }),
    ...(REPLACES.has(name) ? { requiresReplace: true } : {}),
  };
}

export const JOB_SCHEMA: Schema = {
  version: 0,
  block: {
    description: 'One inventory job of one COS bucket (PUT/GET/DELETE Bucket inventory).',
    attributes: {
      id: {
        type: ctyString,
        computed: true,
        description: '`<region>/<bucket>/<job_id>`, also the import id.',
      },
      region: attribute('region', ctyString, true, 'Region of the source bucket; a change replaces the job.'),
      bucket: attribute('bucket', ctyString, true, 'Source bucket `name-appid`; a change replaces the job.'),
      job_id: attribute('job_id', ctyString, true, 'The job id in COS; a change replaces the job.'),
      enabled: attribute('enabled', ctyBool, true, '`IsEnabled`.'),
      included_object_versions: attribute(
        'included_object_versions',
        ctyString,
        true,
        '`IncludedObjectVersions`: `All` or `Current`.',
      ),
      frequency: attribute(
        'frequency',
        ctyString,
        true,
        '`Schedule.Frequency`: `Daily`, `Weekly` or `Monthly`.',
      ),
      monthly_date: attribute('monthly_date', ctyString, false, '`Schedule.MonthlyDate` of a monthly job.'),
      destination_bucket: attribute(
        'destination_bucket',
        ctyString,
        true,
        'Destination bucket ARN `qcs::cos:<region>::<name-appid>`.',
      ),
      destination_account_id: attribute(
        'destination_account_id',
        ctyString,
        false,
        'UIN of the destination bucket owner.',
      ),
      destination_prefix: attribute(
        'destination_prefix',
        ctyString,
        false,
        'Prefix of the delivered reports.',
      ),
      destination_format: attribute('destination_format', ctyString, true, 'Report format: `CSV`.'),
      destination_encryption: attribute(
        'destination_encryption',
        ctyString,
        false,
        '`SSE-COS` to encrypt reports, null for none.',
      ),
      filter_prefix: attribute('filter_prefix', ctyString, false, 'Only objects under this prefix.'),
      filter_tags: attribute(
        'filter_tags',
        mapOf(ctyString),
        false,
        'Only objects with these tags (key to value).',
      ),
      filter_storage_class: attribute(
        'filter_storage_class',
        ctyString,
        false,
        'Only objects of these storage classes (COS spelling).',
      ),
      filter_start_time: attribute(
        'filter_start_time',
        ctyString,
        false,
        'Only objects created from this time (Unix seconds).',
      ),
      filter_end_time: attribute(
        'filter_end_time',
        ctyString,
        false,
        'Only objects created until this time (Unix seconds).',
      ),
      optional_fields: attribute('optional_fields', listOf(ctyString), false, 'Extra report columns.'),
      [ALLOWED_ACCOUNT_IDS]: RESOURCE_GUARD_ATTRIBUTE,
    },
  },
};

const text = (value: TfValue | undefined): string | null => (typeof value === 'string' ? value : null);

/**
 * The job attributes of a known resource value. Missing required values become empty
 * strings, which validation reports; a resource value never reaches here unknown.
 */
export function attributesOf(value: TfObject): JobAttributes {
  const tags = value.filter_tags;
  const fields = value.optional_fields;
  return {
    region: text(value.region) ?? '',
    bucket: text(value.bucket) ?? '',
    job_id: text(value.job_id) ?? '',
    enabled: value.enabled === true,
    included_object_versions: (text(value.included_object_versions) ??
      '') as JobAttributes['included_object_versions'],
    frequency: (text(value.frequency) ?? '') as JobAttributes['frequency'],
    monthly_date: text(value.monthly_date),
    destination_bucket: text(value.destination_bucket) ?? '',
    destination_account_id: text(value.destination_account_id),
    destination_prefix: text(value.destination_prefix),
    destination_format: (text(value.destination_format) ?? '') as JobAttributes['destination_format'],
    destination_encryption: text(value.destination_encryption) as JobAttributes['destination_encryption'],
    filter_prefix: text(value.filter_prefix),
    filter_tags: isObject(tags)
      ? Object.fromEntries(Object.entries(tags).map(([key, tag]) => [key, text(tag) ?? '']))
      : null,
    filter_storage_class: text(value.filter_storage_class),
    filter_start_time: text(value.filter_start_time),
    filter_end_time: text(value.filter_end_time),
    optional_fields: Array.isArray(fields)
      ? (fields.map((field) => text(field) ?? '') as unknown as JobAttributes['optional_fields'])
      : null,
  };
}

/** The resource value of job attributes, with its `id`. */
export function jobState(attributes: JobAttributes): TfObject {
  return {
    id: jobImportId(attributes.region, attributes.bucket, attributes.job_id),
    ...(JSON.parse(JSON.stringify(attributes)) as TfObject),
  };
}
