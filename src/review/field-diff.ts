/**
 * Field-by-field difference of two versions of a job, in prop names, and how each difference
 * reads: `schedule.frequency: Weekly -> Daily`, `filter.tags.tier: added "cold"`,
 * `optionalFields: added Tag`.
 */
import { Unknown } from './plan-json';
import type { PropField, PropKind, PropValue } from './prop-fields';

export type FieldChange =
  | { readonly kind: 'changed'; readonly path: string; readonly from: PropField; readonly to: PropField }
  | { readonly kind: 'added'; readonly path: string; readonly to: PropField }
  | { readonly kind: 'removed'; readonly path: string; readonly from: PropField }
  | {
      readonly kind: 'items';
      readonly path: string;
      readonly added: readonly string[];
      readonly removed: readonly string[];
    };

function sameValue(a: PropValue, b: PropValue): boolean {
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  }
  return a === b;
}

/** Every prop path whose value differs, in the order of the new version, then removed ones. */
export function diffPropFields(before: readonly PropField[], after: readonly PropField[]): FieldChange[] {
  const old = new Map(before.map((f) => [f.path, f]));
  const now = new Map(after.map((f) => [f.path, f]));
  const changes: FieldChange[] = [];
  for (const to of after) {
    const from = old.get(to.path);
    if (from === undefined) {
      changes.push({ kind: 'added', path: to.path, to });
    } else if (!sameValue(from.value, to.value)) {
      if (Array.isArray(from.value) && Array.isArray(to.value)) {
        const was = new Set<string>(from.value);
        const is = new Set<string>(to.value);
        changes.push({
          kind: 'items',
          path: to.path,
          added: to.value.filter((v: string) => !was.has(v)),
          removed: from.value.filter((v: string) => !is.has(v)),
        });
      } else {
        changes.push({ kind: 'changed', path: to.path, from, to });
      }
    }
  }
  for (const from of before) {
    if (!now.has(from.path)) changes.push({ kind: 'removed', path: from.path, from });
  }
  return changes;
}

function timeText(value: number): string {
  const date = new Date(value * 1000);
  return Number.isFinite(date.getTime())
    ? `${value} (${date.toISOString().replace('.000Z', 'Z')})`
    : String(value);
}

/** A value as a reviewer reads it. */
export function formatPropValue(value: PropValue, kind: PropKind): string {
  if (value instanceof Unknown) return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (kind === 'text') return JSON.stringify(value);
  if (kind === 'time' && typeof value === 'number') return timeText(value);
  return String(value);
}

function field(f: PropField): string {
  return formatPropValue(f.value, f.kind);
}

/** `path: old -> new`, `path: added x`, `path: removed x`, `path: added a, b; removed c`. */
export function describeFieldChange(change: FieldChange): string {
  switch (change.kind) {
    case 'changed':
      return `${change.path}: ${field(change.from)} -> ${field(change.to)}`;
    case 'added':
      return `${change.path}: added ${field(change.to)}`;
    case 'removed':
      return `${change.path}: removed ${field(change.from)}`;
    case 'items': {
      const parts = [
        ...(change.added.length > 0 ? [`added ${change.added.join(', ')}`] : []),
        ...(change.removed.length > 0 ? [`removed ${change.removed.join(', ')}`] : []),
      ];
      return `${change.path}: ${parts.join('; ')}`;
    }
  }
}

/** `path: value` for a field of a new job. */
export function describeField(f: PropField): string {
  return `${f.path}: ${field(f)}`;
}
