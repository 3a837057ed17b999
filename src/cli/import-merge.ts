/**
 * `cos-inventory import --into FILE --construct-id ID`: adds a bucket's jobs that the named
 * `BucketInventory` of an existing TypeScript file does not declare yet to its `jobs` array,
 * and an `importJob(id)` call for each on the construct (the adoption: Terraform imports them
 * instead of creating them), as edits of those places only (the rest of the file keeps its
 * bytes), so a bucket is never declared by two constructs. The file is parsed with the project's own `typescript` (every
 * TypeScript cdktf project has it: ts-node needs it); nothing is evaluated.
 */
import { dirname, resolve } from 'node:path';
import type * as TypeScript from 'typescript';
import type { InventoryJob } from '../construct/inventory-job';
import { HandlerError, EXIT_USAGE } from '../handler/errors';
import {
  formatTypeScript,
  IMPORT_JOB_COMMENT,
  IMPORT_PRETTIER_OPTIONS,
  importJobCalls,
  literal,
} from './import-module';

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

  // The adoption first: a construct whose value cannot take the importJob calls is refused
  // before anything is written.
  const adoption = await adoptionEdits(ts, file, call, missing, input.format);
  let jobsEdit: Edit;
  const oneLine =
    array !== undefined &&
    file.getLineAndCharacterOfPosition(array.getStart()).line ===
      file.getLineAndCharacterOfPosition(array.getEnd()).line;
  if (elements && elements.length > 0 && oneLine) {
    // `[{ ... }]` on one line: one element per line from now on, as prettier prints several.
    const indent = indentOf(source, jobsProperty!.getStart());
    const kept = elements.map((element) => `${indent}  ${element.getText()},`).join('\n');
    const inner = await jobLines(missing, `${indent}  `, input.format);
    jobsEdit = { start: array!.getStart(), end: array!.getEnd(), text: `[\n${kept}\n${inner}\n${indent}]` };
  } else if (elements && elements.length > 0) {
    const last = elements[elements.length - 1];
    const indent = indentOf(source, elements[0].getStart());
    const trailingComma = elements.hasTrailingComma;
    // After the last element (and its comma): the new jobs, one per line.
    const at = trailingComma ? source.indexOf(',', last.getEnd()) + 1 : last.getEnd();
    const inner = await jobLines(missing, indent, input.format);
    jobsEdit = { start: at, end: at, text: `${trailingComma ? '' : ','}\n${inner}` };
  } else if (array) {
    const indent = indentOf(source, jobsProperty!.getStart());
    const inner = await jobLines(missing, `${indent}  `, input.format);
    jobsEdit = { start: array.getStart(), end: array.getEnd(), text: `[\n${inner}\n${indent}]` };
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
    jobsEdit = { start: at, end: at, text: `${comma}\n${indent}jobs: [\n${inner}\n${indent}],` };
  }
  return { text: applyEdits(source, [jobsEdit, ...adoption]), added: missing.map((job) => job.id), declared };
}

/** A replacement of `source.slice(start, end)`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits, the last one first so the positions of the others hold. */
function applyEdits(source: string, edits: readonly Edit[]): string {
  return [...edits]
    .sort((a, b) => b.start - a.start)
    .reduce((text, edit) => `${text.slice(0, edit.start)}${edit.text}${text.slice(edit.end)}`, source);
}

/** A name no identifier of the file has: `inventory`, else `inventory2`, ... */
function freeName(ts: typeof TypeScript, file: TypeScript.SourceFile): string {
  const taken = new Set<string>();
  const visit = (node: TypeScript.Node): void => {
    if (ts.isIdentifier(node)) taken.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  let name = 'inventory';
  for (let n = 2; taken.has(name); n++) name = `inventory${n}`;
  return name;
}

/** The `<variable>.importJob('<id>')` calls the file makes: their ids and the end of the last one. */
function importCalls(
  ts: typeof TypeScript,
  file: TypeScript.SourceFile,
  variable: string,
): { ids: Set<string>; lastEnd?: number } {
  const ids = new Set<string>();
  let lastEnd: number | undefined;
  const visit = (node: TypeScript.Node): void => {
    if (
      ts.isExpressionStatement(node) &&
      ts.isCallExpression(node.expression) &&
      ts.isPropertyAccessExpression(node.expression.expression) &&
      node.expression.expression.name.text === 'importJob' &&
      ts.isIdentifier(node.expression.expression.expression) &&
      node.expression.expression.expression.text === variable
    ) {
      const id = literalText(ts, node.expression.arguments[0]);
      if (id !== undefined) ids.add(id);
      lastEnd = Math.max(lastEnd ?? 0, node.getEnd());
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { ids, ...(lastEnd !== undefined ? { lastEnd } : {}) };
}

/**
 * The edits that call `importJob(id)` for each added job on the construct: after the statement
 * declaring it (`const x = new BucketInventory(...)`), or, for `return new BucketInventory(...)`
 * and a bare `new BucketInventory(...);`, with the construct kept in a new const first.
 */
async function adoptionEdits(
  ts: typeof TypeScript,
  file: TypeScript.SourceFile,
  call: TypeScript.NewExpression,
  jobs: readonly InventoryJob[],
  format: Format = prettierFormat,
): Promise<Edit[]> {
  if (jobs.length === 0) return [];
  const source = file.text;
  const parent = call.parent;
  const declared =
    ts.isVariableDeclaration(parent) && parent.initializer === call && ts.isIdentifier(parent.name)
      ? parent
      : undefined;
  const statement = declared
    ? declared.parent.parent
    : ts.isReturnStatement(parent) || ts.isExpressionStatement(parent)
      ? parent
      : undefined;
  if (statement === undefined || !ts.isBlock(statement.parent)) {
    throw usage(
      `import --into ${file.fileName}: the BucketInventory at ${where(file, call.getStart())} is neither kept in a const nor returned, so the importJob calls that adopt the jobs have no place`,
      'keep it in a const (const inventory = new BucketInventory(...)), or print a new module without --into',
    );
  }
  const variable = declared ? (declared.name as TypeScript.Identifier).text : freeName(ts, file);
  const existing = declared ? importCalls(ts, file, variable) : { ids: new Set<string>() };
  const already = existing.ids;
  const ids = jobs.map((job) => job.id).filter((id) => !already.has(id));
  const indent = indentOf(source, statement.getStart());
  const formatted = ids.length === 0 ? '' : await format(importJobCalls(variable, ids).join('\n'), 200);
  const lines = [
    ...(already.size === 0 && ids.length > 0 ? [IMPORT_JOB_COMMENT] : []),
    ...formatted.split('\n').filter((line) => line !== ''),
  ];
  const calls = lines.map((line) => `\n${indent}${line}`).join('');
  const end = statement.getEnd();
  if (declared) {
    // After the calls already there, else after the declaration.
    const at = existing.lastEnd ?? end;
    return ids.length === 0 ? [] : [{ start: at, end: at, text: calls }];
  }
  const keep = { start: statement.getStart(), end: call.getStart(), text: `const ${variable} = ` };
  const after = ts.isReturnStatement(statement) ? `${calls}\n${indent}return ${variable};` : calls;
  // A statement without its `;` gets one: the next line must not continue the expression.
  const semicolon = source.slice(call.getEnd(), end).includes(';') ? '' : ';';
  return [keep, { start: end, end, text: `${semicolon}${after}` }];
}
