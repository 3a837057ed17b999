/**
 * Diagnostics: the errors and warnings a provider answers with. Terraform shows the summary
 * and the detail, and, given an attribute path, points at that attribute in the configuration.
 */

/** One step of an attribute path: an attribute name, a map key or a list index. */
export type PathStep = { readonly attribute: string } | { readonly key: string } | { readonly index: number };

export type AttributePath = readonly PathStep[];

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly attribute?: AttributePath;
}

/** The path of a top-level attribute. */
export function attributePath(name: string, ...rest: readonly (string | number)[]): AttributePath {
  return [
    { attribute: name },
    ...rest.map((step): PathStep => (typeof step === 'number' ? { index: step } : { key: step })),
  ];
}

export function errorDiagnostic(summary: string, detail?: string, attribute?: AttributePath): Diagnostic {
  return { severity: 'error', summary, detail, attribute };
}

export function warningDiagnostic(summary: string, detail?: string, attribute?: AttributePath): Diagnostic {
  return { severity: 'warning', summary, detail, attribute };
}

export function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** The `tfplugin6.AttributePath` message of a path. */
export function attributePathMessage(path: AttributePath): Record<string, unknown> {
  return {
    steps: path.map((step) =>
      'attribute' in step
        ? { attribute_name: step.attribute }
        : 'key' in step
          ? { element_key_string: step.key }
          : { element_key_int: step.index },
    ),
  };
}

/** The `tfplugin6.Diagnostic` messages of diagnostics. */
export function diagnosticMessages(diagnostics: readonly Diagnostic[]): Record<string, unknown>[] {
  return diagnostics.map((diagnostic) => ({
    severity: diagnostic.severity === 'error' ? 'ERROR' : 'WARNING',
    summary: diagnostic.summary,
    detail: diagnostic.detail ?? '',
    ...(diagnostic.attribute ? { attribute: attributePathMessage(diagnostic.attribute) } : {}),
  }));
}

/** A thrown error as an error diagnostic, so a failing hook reaches the user, not a gRPC status. */
export function diagnosticFromError(error: unknown, summary: string): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  return errorDiagnostic(summary, detail);
}
