import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { CosError } from './errors';

/** Element paths that are lists even when a document holds a single one. */
const LIST_PATHS = new Set([
  'InventoryConfiguration.OptionalFields.Field',
  'InventoryConfiguration.Filter.And.Tag',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name: string, jpath: unknown) => typeof jpath === 'string' && LIST_PATHS.has(jpath),
});

const builder = new XMLBuilder({ suppressEmptyNode: false, processEntities: true });

/** A parsed XML element: text, or child elements by name (lists for repeats). */
export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

/** Parses a request body; a body that is not well-formed XML is COS's `MalformedXML`. */
export function parseXml(body: Buffer): XmlNode {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new CosError(400, 'MalformedXML', 'the request body is empty');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new CosError(400, 'MalformedXML', `the xml is not well-formed: ${valid.err.msg}`);
  }
  const parsed: unknown = parser.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CosError(400, 'MalformedXML', 'the xml has no root element');
  }
  return parsed as XmlNode;
}

/** Serialises a response document with COS's XML declaration. */
export function buildXml(document: object): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(document) as string}`;
}
