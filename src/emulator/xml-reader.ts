import { CosError } from './errors';
import { XmlNode, XmlValue } from './xml';

/**
 * Strict reading of a parsed request document: every element must be known, single
 * elements must not repeat, and text elements must hold text. Violations are `MalformedXML`.
 */
export class XmlReader {
  constructor(
    private readonly node: XmlNode,
    /** Path of this element, for messages (`InventoryConfiguration.Filter`). */
    readonly path: string,
  ) {}

  /** Wraps an element value; an empty element (`<Filter/>`) reads as no children. */
  static of(value: XmlValue, path: string): XmlReader {
    if (value === '') return new XmlReader({}, path);
    if (typeof value === 'string' || Array.isArray(value)) {
      throw new CosError(400, 'MalformedXML', `${path} must hold child elements`);
    }
    return new XmlReader(value, path);
  }

  /** Rejects child elements not in `allowed`. */
  only(allowed: readonly string[]): this {
    for (const name of Object.keys(this.node)) {
      if (!allowed.includes(name)) {
        throw new CosError(
          400,
          'MalformedXML',
          `${this.path}.${name} is not a known element; allowed: ${allowed.join(', ')}`,
        );
      }
    }
    return this;
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.node, name);
  }

  text(name: string): string | undefined {
    if (!this.has(name)) return undefined;
    const value = this.node[name];
    if (typeof value !== 'string') {
      throw new CosError(400, 'MalformedXML', `${this.path}.${name} must be a single text element`);
    }
    return value;
  }

  requiredText(name: string): string {
    const value = this.text(name);
    if (value === undefined) throw new CosError(400, 'MalformedXML', `${this.path}.${name} is required`);
    return value;
  }

  child(name: string): XmlReader | undefined {
    if (!this.has(name)) return undefined;
    return XmlReader.of(this.node[name], `${this.path}.${name}`);
  }

  requiredChild(name: string): XmlReader {
    const child = this.child(name);
    if (child === undefined) throw new CosError(400, 'MalformedXML', `${this.path}.${name} is required`);
    return child;
  }

  /** Repeated text elements (parsed as a list by the XML codec). */
  texts(name: string): string[] {
    if (!this.has(name)) return [];
    const value = this.node[name];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, index) => {
      if (typeof item !== 'string') {
        throw new CosError(400, 'MalformedXML', `${this.path}.${name}[${index}] must be a text element`);
      }
      return item;
    });
  }

  /** Repeated element groups. */
  children(name: string): XmlReader[] {
    if (!this.has(name)) return [];
    const value = this.node[name];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, index) => XmlReader.of(item, `${this.path}.${name}[${index}]`));
  }
}
