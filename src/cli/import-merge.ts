/**
 * `cos-inventory import --into FILE --construct-id ID`: adds a bucket's jobs that the named
 * `BucketInventory` of an existing TypeScript file does not declare yet to its `jobs` array,
 * as an edit of that array only (the rest of the file keeps its bytes), so a bucket is never
 * declared by two constructs. The file is parsed with the project's own `typescript` (every
 * TypeScript cdktf project has it: ts-node needs it); nothing is evaluated.
 */
import { dirname, resolve } from 'node:path';
import type * as TypeScript from 'typescript';
import type { InventoryJob } from '../construct/inventory-job';
import { HandlerError, EXIT_USAGE } from '../handler/errors';
import { formatTypeScript, IMPORT_PRETTIER_OPTIONS, literal } from './import-module';

export interface MergeInput {
  /** The file's text and name (for messages). */
  readonly source: string;
  readonly fileName: string;
  readonly constructId: string;
  readonly bucket: string;
  /** The jobs the bucket holds (those import can state exactly). */
  readonly jobs: readonly InventoryJob[];
  /** Formats TypeScript with this project's settings (default: prettier's API). */
  readonly format?: Format;
}

/** TypeScript source in, formatted source out (this project's settings but the line width). */
export type Format = (source: string, printWidth: number) => Promise<string>;

export interface MergeResult {
  /** The file with the missing jobs added (the input when none is missing). */
  readonly text: string;
  readonly added: readonly string[];
  /** Job ids already declared by the construct, left as written. */
  readonly declared: readonly string[];
}

function usage(message: string, hint: string): HandlerError {
  return new HandlerError({ code: 'ImportTarget', message, hint, exitCode: EXIT_USAGE });
}

/** The project's `typescript`, from the file's directory or the working directory. */
export function loadTypeScript(fileName: string): typeof TypeScript {
  try {
    const path = require.resolve('typescript', { paths: [dirname(resolve(fileName)), process.cwd()] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as typeof TypeScript;
  } catch {
    throw usage(
      `import --into ${fileName}: the typescript package is not installed in this project`,
      'install it (npm install --save-dev typescript), or print the jobs with --jobs-only and paste them',
    );
  }
}

/** The text of a string literal (or a template without substitutions), else undefined. */
function literalText(ts: typeof TypeScript, node: TypeScript.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

function property(
  ts: typeof TypeScript,
  object: TypeScript.ObjectLiteralExpression,
  name: string,
): TypeScript.PropertyAssignment | undefined {
  return object.properties.find(
    (p): p is TypeScript.PropertyAssignment =>
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === name,
  );
}

/** Every `new BucketInventory(scope, 'id', props)` of the file. */
function constructCalls(ts: typeof TypeScript, file: TypeScript.SourceFile): TypeScript.NewExpression[] {
  const calls: TypeScript.NewExpression[] = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : undefined;
      if (name === 'BucketInventory') calls.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls;
}

/** Line and column (1-based) of a position, for messages. */
function where(file: TypeScript.SourceFile, pos: number): string {
  const { line, character } = file.getLineAndCharacterOfPosition(pos);
  return `${file.fileName}:${line + 1}:${character + 1}`;
}

function indentOf(source: string, pos: number): string {
  const lineStart = source.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

const prettierFormat: Format = (source, printWidth) => formatTypeScript(source, { printWidth });

/** The jobs as a formatted array literal (what `--jobs-only` prints). */
export async function jobsArrayText(
  jobs: readonly InventoryJob[],
  format: Format = prettierFormat,
): Promise<string> {
  const text = await format(
    `[\n${jobs.map((job) => `${literal(job)},`).join('\n')}\n];\n`,
    IMPORT_PRETTIER_OPTIONS.printWidth,
  );
  return text.replace(/;\n$/, '\n');
}

/**
 * Each job as formatted lines starting at `indent`, each ending with a comma. A job is
 * formatted alone, after a prefix as long as the indent, so prettier breaks it where it would
 * in place (an array of several jobs is one element per line in prettier's style anyway).
 */
async function jobLines(
  jobs: readonly InventoryJob[],
  indent: string,
  format: Format = prettierFormat,
): Promise<string> {
  const prefix = 'x = ';
  const width = IMPORT_PRETTIER_OPTIONS.printWidth - indent.length + prefix.length;
  const texts = await Promise.all(
    jobs.map(async (job) => {
      const text = (await format(`${prefix}${literal(job)};\n`, width))
        .replace(/;\n$/, '')
        .slice(prefix.length);
      return `${text
        .split('\n')
        .map((line) => (line === '' ? line : `${indent}${line}`))
        .join('\n')},`;
    }),
  );
  return texts.join('\n');
}

/** Adds the jobs the construct does not declare; refuses what it cannot read for sure. */
export async function mergeJobs(ts: typeof TypeScript, input: MergeInput): Promise<MergeResult> {
  const { source, fileName, constructId } = input;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const calls = constructCalls(ts, file);
  const named = calls.filter((call) => literalText(ts, call.arguments?.[1]) === constructId);
  if (named.length !== 1) {
    const ids = calls.map((call) => literalText(ts, call.arguments?.[1]) ?? '(not a literal)');
    throw usage(
      named.length === 0
        ? `import --into ${fileName}: no new BucketInventory(scope, ${JSON.stringify(constructId)}, ...) in the file (found: ${ids.join(', ') || 'none'})`
        : `import --into ${fileName}: ${named.length} BucketInventory constructs have the id ${JSON.stringify(constructId)}`,
      'give --construct-id the id of the construct declaring the bucket, or drop --into to print a new module',
    );
  }
  const call = named[0];
  const props = call.arguments?.[2];
  if (!props || !ts.isObjectLiteralExpression(props)) {
    throw usage(
      `import --into ${fileName}: the props of BucketInventory ${JSON.stringify(constructId)} at ${where(file, call.getStart())} are not an object literal`,
      'print the jobs with --jobs-only and add them to the jobs the construct declares',
    );
  }
  const bucket = literalText(ts, property(ts, props, 'bucket')?.initializer);
  if (bucket !== undefined && bucket !== input.bucket) {
    throw usage(
      `import --into ${fileName}: BucketInventory ${JSON.stringify(constructId)} declares bucket ${bucket}, not ${input.bucket}`,
      'give --bucket the bucket the construct declares, or --construct-id the construct declaring it',
    );
  }
  const jobsProperty = property(ts, props, 'jobs');
  const array = jobsProperty?.initializer;
  if (jobsProperty && (!array || !ts.isArrayLiteralExpression(array))) {
    throw usage(
      `import --into ${fileName}: the jobs of BucketInventory ${JSON.stringify(constructId)} at ${where(file, jobsProperty.getStart())} are not an array literal`,
      'print the jobs with --jobs-only and add them where the jobs are built',
    );
  }
  const declared: string[] = [];
  const elements = array && ts.isArrayLiteralExpression(array) ? array.elements : undefined;
  elements?.forEach((element, index) => {
    const id = ts.isObjectLiteralExpression(element)
      ? literalText(ts, property(ts, element, 'id')?.initializer)
      : undefined;
    if (id === undefined) {
      throw usage(
        `import --into ${fileName}: jobs[${index}] of BucketInventory ${JSON.stringify(constructId)} at ${where(file, element.getStart())} has no literal id, so which job it declares is unknown`,
        'write its id as a string literal, or print the jobs with --jobs-only and merge by hand',
      );
    }
    declared.push(id);
  });
  const missing = input.jobs.filter((job) => !declared.includes(job.id));
  if (missing.length === 0) return { text: source, added: [], declared };

  let text: string;
  const oneLine =
    array !== undefined &&
    file.getLineAndCharacterOfPosition(array.getStart()).line ===
      file.getLineAndCharacterOfPosition(array.getEnd()).line;
  if (elements && elements.length > 0 && oneLine) {
    // `[{ ... }]` on one line: one element per line from now on, as prettier prints several.
    const indent = indentOf(source, jobsProperty!.getStart());
    const kept = elements.map((element) => `${indent}  ${element.getText()},`).join('\n');
    const inner = await jobLines(missing, `${indent}  `, input.format);
    text = `${source.slice(0, array!.getStart())}[\n${kept}\n${inner}\n${indent}]${source.slice(array!.getEnd())}`;
  } else if (elements && elements.length > 0) {
    const last = elements[elements.length - 1];
    const indent = indentOf(source, elements[0].getStart());
    const trailingComma = elements.hasTrailingComma;
    // After the last element (and its comma): the new jobs, one per line.
    const at = trailingComma ? source.indexOf(',', last.getEnd()) + 1 : last.getEnd();
    text = `${source.slice(0, at)}${trailingComma ? '' : ','}\n${await jobLines(missing, indent, input.format)}${source.slice(at)}`;
  } else if (array) {
    const indent = indentOf(source, jobsProperty!.getStart());
    const inner = await jobLines(missing, `${indent}  `, input.format);
    text = `${source.slice(0, array.getStart())}[\n${inner}\n${indent}]${source.slice(array.getEnd())}`;
  } else {
    // No `jobs` prop: added as the last prop.
    const last = props.properties[props.properties.length - 1];
    const indent = last ? indentOf(source, last.getStart()) : `${indentOf(source, props.getStart())}  `;
    const inner = await jobLines(missing, `${indent}  `, input.format);
    const at = last
      ? props.properties.hasTrailingComma
        ? source.indexOf(',', last.getEnd()) + 1
        : last.getEnd()
      : props.getStart() + 1;
    const comma = last && !props.properties.hasTrailingComma ? ',' : '';
    text = `${source.slice(0, at)}${comma}\n${indent}jobs: [\n${inner}\n${indent}],${source.slice(at)}`;
  }
  return { text, added: missing.map((job) => job.id), declared };
}
