/**
 * Terraform reads every string of a configuration as a template: `${` starts an interpolation
 * and `%{` a directive. Literal strings from users (prefixes, tag values) are escaped so
 * Terraform passes them through unchanged. cdktf's own token markers (`${TfToken[...]}`) are
 * left alone: cdktf replaces them with real references at synth.
 */

const INTERPOLATION = /\$\{(?!TfToken\[)/g;
const DIRECTIVE = /%\{/g;

/** Escapes `${` as `$${` and `%{` as `%%{`, keeping cdktf token markers intact. */
export function escapeTemplate(value: string): string {
  return value.replace(INTERPOLATION, '$$${').replace(DIRECTIVE, '%%{');
}

/** `escapeTemplate` applied to every string inside a JSON-like value (keys are identifiers). */
export function escapeTemplates<T>(value: T): T {
  if (typeof value === 'string') return escapeTemplate(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => escapeTemplates(item)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = escapeTemplates(item);
    return result as T;
  }
  return value;
}
