import { canonicalConfiguration } from '../../src/model/canonical';
import type { InventoryConfiguration } from '../../src/model/configuration';
import {
  configurationFromAttributes,
  JOB_ATTRIBUTE_NAMES,
  jobAttributes,
  jobImportId,
} from '../../src/model/job-attributes';
import { generateConfigurations } from '../fixtures/generated-configurations';

const BUCKET = 'examplebucket-1250000000';
const REGION = 'ap-guangzhou';

describe('job attributes', () => {
  const configurations = generateConfigurations(300, 19, {
    region: REGION,
    destinations: ['dest-1250000000'],
  });

  it('round-trips every generated configuration through the canonical form', () => {
    for (const config of configurations) {
      expect(configurationFromAttributes(jobAttributes(config, BUCKET, REGION))).toEqual(
        canonicalConfiguration(config),
      );
    }
  });

  it('has exactly the schema attributes, in order', () => {
    expect(Object.keys(jobAttributes(configurations[0], BUCKET, REGION))).toEqual([...JOB_ATTRIBUTE_NAMES]);
  });

  it('reads a prefix-only And filter as a plain prefix', () => {
    const config: InventoryConfiguration = {
      ...configurations[0],
      Filter: { And: { Prefix: 'logs/' } },
    };
    const attributes = jobAttributes(config, BUCKET, REGION);
    expect(attributes.filter_prefix).toBe('logs/');
    expect(configurationFromAttributes(attributes).Filter).toEqual({ Prefix: 'logs/' });
  });

  it('keeps the prefix under And when tags share the filter', () => {
    const config: InventoryConfiguration = {
      ...configurations[0],
      Filter: {
        And: {
          Prefix: 'logs/',
          Tag: [
            { Key: 'b', Value: '2' },
            { Key: 'a', Value: '1' },
          ],
        },
      },
    };
    const attributes = jobAttributes(config, BUCKET, REGION);
    expect(attributes.filter_tags).toEqual({ a: '1', b: '2' });
    expect(configurationFromAttributes(attributes).Filter).toEqual({
      And: {
        Prefix: 'logs/',
        Tag: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      },
    });
  });

  it('names a job by region, bucket and id', () => {
    expect(jobImportId(REGION, BUCKET, 'daily')).toBe('ap-guangzhou/examplebucket-1250000000/daily');
  });
});
