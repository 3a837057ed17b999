import {
  attributePath,
  attributePathMessage,
  conformObject,
  ctyBool,
  ctyString,
  diagnosticMessages,
  genericPlan,
  listOf,
  objectOf,
  schemaMessage,
  setOf,
  UNKNOWN,
  type BlockSchema,
  type Schema,
} from '../../src/tfplugin';

const RULE: BlockSchema = { attributes: { prefix: { type: ctyString, optional: true } } };
const BLOCK: BlockSchema = {
  attributes: {
    name: { type: ctyString, required: true },
    tags: { type: setOf(ctyString), optional: true },
    id: { type: ctyString, computed: true },
  },
  blockTypes: {
    filter: { nesting: 'single', block: RULE, maxItems: 1 },
    rules: { nesting: 'list', block: RULE, minItems: 1, maxItems: 3 },
    labels: { nesting: 'map', block: RULE },
    options: { nesting: 'group', block: RULE },
  },
};

describe('schema message', () => {
  test('attributes with their cty type JSON and flags; nested blocks with nesting and item limits', () => {
    const message = schemaMessage({ version: 3, block: BLOCK }) as {
      version: number;
      block: {
        attributes: { name: string; type: Buffer; required: boolean; computed: boolean }[];
        block_types: { type_name: string; nesting: string; min_items: number; max_items: number }[];
      };
    };
    expect(message.version).toBe(3);
    expect(message.block.attributes.map((a) => [a.name, a.type.toString(), a.required, a.computed])).toEqual([
      ['name', '"string"', true, false],
      ['tags', '["set","string"]', false, false],
      ['id', '"string"', false, true],
    ]);
    expect(message.block.block_types.map((b) => [b.type_name, b.nesting, b.min_items, b.max_items])).toEqual([
      ['filter', 'SINGLE', 0, 1],
      ['rules', 'LIST', 1, 3],
      ['labels', 'MAP', 0, 0],
      ['options', 'GROUP', 0, 0],
    ]);
    expect(Buffer.from(JSON.stringify(objectOf({ a: listOf(ctyBool) }))).toString()).toBe(
      '["object",{"a":["list","bool"]}]',
    );
  });
});

describe('conformObject', () => {
  test('every attribute present, unknown attributes dropped, nested blocks in their collection form', () => {
    expect(conformObject({ name: 'n', stale: 'x', rules: [{ prefix: 'a', extra: 1 }] }, BLOCK)).toEqual({
      name: 'n',
      tags: null,
      id: null,
      filter: null,
      rules: [{ prefix: 'a' }],
      labels: {},
      options: { prefix: null },
    });
    expect(
      conformObject({ name: 'n', filter: {}, labels: { x: {} }, options: UNKNOWN }, BLOCK),
    ).toMatchObject({
      filter: { prefix: null },
      labels: { x: { prefix: null } },
      options: UNKNOWN,
    });
  });
});

describe('genericPlan', () => {
  const schema: Schema = {
    block: {
      attributes: {
        name: { type: ctyString, required: true, requiresReplace: true },
        size: { type: ctyString, optional: true },
        id: { type: ctyString, computed: true },
        region: { type: ctyString, optional: true, computed: true },
      },
    },
  };

  test('create: computed attributes the configuration leaves null are unknown; configured ones kept', () => {
    const config = { name: 'a', size: null, id: null, region: 'ap-beijing' };
    expect(genericPlan(schema, null, config, config)).toEqual({
      plannedState: { name: 'a', size: null, id: UNKNOWN, region: 'ap-beijing' },
      requiresReplace: [],
    });
  });

  test('update: computed attributes keep their prior values; a requiresReplace change is flagged', () => {
    const prior = { name: 'a', size: '1', id: 'i-1', region: 'ap-guangzhou' };
    const config = { name: 'b', size: '2', id: null, region: null };
    const proposed = { name: 'b', size: '2', id: 'i-1', region: 'ap-guangzhou' };
    expect(genericPlan(schema, prior, proposed, config)).toEqual({
      plannedState: { name: 'b', size: '2', id: 'i-1', region: 'ap-guangzhou' },
      requiresReplace: [attributePath('name')],
    });
    expect(
      genericPlan(schema, prior, { ...prior, size: '3' }, { ...config, name: 'a' }).requiresReplace,
    ).toEqual([]);
  });

  test('destroy: nothing planned', () => {
    expect(genericPlan(schema, { name: 'a', size: null, id: 'i', region: null }, null, null)).toEqual({
      plannedState: null,
      requiresReplace: [],
    });
  });
});

describe('diagnostics', () => {
  test('attribute paths with map keys and list indexes', () => {
    expect(attributePathMessage(attributePath('query', 'bucket'))).toEqual({
      steps: [{ attribute_name: 'query' }, { element_key_string: 'bucket' }],
    });
    expect(attributePathMessage(attributePath('program', 0))).toEqual({
      steps: [{ attribute_name: 'program' }, { element_key_int: 0 }],
    });
    expect(
      diagnosticMessages([
        { severity: 'warning', summary: 's' },
        { severity: 'error', summary: 'e', detail: 'd', attribute: attributePath('x') },
      ]),
    ).toEqual([
      { severity: 'WARNING', summary: 's', detail: '' },
      { severity: 'ERROR', summary: 'e', detail: 'd', attribute: { steps: [{ attribute_name: 'x' }] } },
    ]);
  });
});
