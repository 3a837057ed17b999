import type { InventoryRow } from './row';

/** Objects and bytes of one group. */
export interface SummaryGroup {
  readonly name: string;
  readonly objects: number;
  readonly bytes: number;
}

/** Totals of a report, by storage class and by key prefix. */
export interface InventorySummary {
  readonly objects: number;
  readonly bytes: number;
  /** Rows that are delete markers (counted here only, not in `objects`). */
  readonly deleteMarkers: number;
  /** Largest first; empty when the report has no StorageClass column. */
  readonly byStorageClass: readonly SummaryGroup[];
  /** The `top` largest prefixes by bytes (then objects, then name). */
  readonly byPrefix: readonly SummaryGroup[];
  /** How many distinct prefixes there were in all. */
  readonly prefixCount: number;
  /** Path segments per prefix. */
  readonly depth: number;
}

export interface SummaryOptions {
  /** Path segments that make a prefix: 1 groups `a/b/c` under `a/` (default 1). */
  readonly depth?: number;
  /** How many prefixes to keep in `byPrefix` (default 10). */
  readonly top?: number;
}

/** Name of the group of keys with no `/` (or rows without a StorageClass value). */
export const ROOT_PREFIX = '(top level)';
export const UNKNOWN_STORAGE_CLASS = '(none)';

/** The directory part of `key`, at most `depth` segments, with its trailing `/`. */
export function keyPrefix(key: string, depth: number): string {
  let end = -1;
  for (let segment = 0; segment < depth; segment++) {
    const slash = key.indexOf('/', end + 1);
    if (slash < 0) break;
    end = slash;
  }
  return end < 0 ? ROOT_PREFIX : key.slice(0, end + 1);
}

function largestFirst(a: SummaryGroup, b: SummaryGroup): number {
  return b.bytes - a.bytes || b.objects - a.objects || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Accumulates a summary row by row (memory grows with the number of distinct prefixes and
 * storage classes, not with the number of rows).
 */
export class SummaryBuilder {
  private readonly depth: number;
  private readonly top: number;
  private objects = 0;
  private bytes = 0;
  private deleteMarkers = 0;
  private sawStorageClass = false;
  private readonly classes = new Map<string, { objects: number; bytes: number }>();
  private readonly prefixes = new Map<string, { objects: number; bytes: number }>();

  constructor(options: SummaryOptions = {}) {
    this.depth = Math.max(1, options.depth ?? 1);
    this.top = Math.max(0, options.top ?? 10);
  }

  add(row: InventoryRow): void {
    // COS's docs name the column both ways; the row carries whichever the manifest lists.
    if (row.IsDeleteMarker === true || row.DeleteMarker === true) {
      this.deleteMarkers++;
      return;
    }
    const size = row.Size ?? 0;
    this.objects++;
    this.bytes += size;
    if (row.StorageClass !== undefined) this.sawStorageClass = true;
    bump(this.classes, row.StorageClass || UNKNOWN_STORAGE_CLASS, size);
    bump(this.prefixes, keyPrefix(row.Key, this.depth), size);
  }

  result(): InventorySummary {
    const groups = (map: Map<string, { objects: number; bytes: number }>): SummaryGroup[] =>
      [...map].map(([name, totals]) => ({ name, ...totals })).sort(largestFirst);
    return {
      objects: this.objects,
      bytes: this.bytes,
      deleteMarkers: this.deleteMarkers,
      byStorageClass: this.sawStorageClass ? groups(this.classes) : [],
      byPrefix: groups(this.prefixes).slice(0, this.top),
      prefixCount: this.prefixes.size,
      depth: this.depth,
    };
  }
}

function bump(map: Map<string, { objects: number; bytes: number }>, name: string, size: number): void {
  const totals = map.get(name);
  if (totals) {
    totals.objects++;
    totals.bytes += size;
  } else {
    map.set(name, { objects: 1, bytes: size });
  }
}
