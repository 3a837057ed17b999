/**
 * Shapes a value to a block schema: every attribute present (null when absent), attributes
 * the schema does not have dropped, nested blocks in their collection form. Terraform expects
 * exactly the schema's attributes in every object a provider answers with.
 */
import type { BlockSchema, NestedBlockSchema } from './schema';
import { isObject, isUnknown, type TfObject, type TfValue } from './value';

function conformNested(value: TfValue | undefined, nested: NestedBlockSchema): TfValue {
  if (isUnknown(value)) return value as TfValue;
  switch (nested.nesting) {
    case 'single':
    case 'group':
      return isObject(value)
        ? conformObject(value, nested.block)
        : nested.nesting === 'group'
          ? conformObject({}, nested.block)
          : null;
    case 'list':
    case 'set':
      return Array.isArray(value)
        ? value.map((item) => (isObject(item) ? conformObject(item, nested.block) : item))
        : [];
    case 'map':
      return isObject(value)
        ? Object.fromEntries(
            Object.entries(value).map(([key, item]) => [
              key,
              isObject(item) ? conformObject(item, nested.block) : item,
            ]),
          )
        : {};
  }
}

export function conformObject(value: TfObject, block: BlockSchema): TfObject {
  const result: TfObject = {};
  for (const name of Object.keys(block.attributes)) result[name] = value[name] ?? null;
  for (const [name, nested] of Object.entries(block.blockTypes ?? {}))
    result[name] = conformNested(value[name], nested);
  return result;
}
