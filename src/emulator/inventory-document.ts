/** An inventory configuration as the emulator stores it (already validated). */

export interface InventoryTag {
  readonly key: string;
  readonly value: string;
}

export interface InventoryFilterDocument {
  readonly prefix?: string;
  readonly and?: {
    readonly prefix?: string;
    readonly tags: readonly InventoryTag[];
    readonly storageClass?: string;
  };
  readonly period?: { readonly startTime?: string; readonly endTime?: string };
}

export interface InventoryDocument {
  readonly id: string;
  /** Absent only in one-time (POST) run requests. */
  readonly isEnabled?: 'true' | 'false';
  readonly includedObjectVersions: 'All' | 'Current';
  readonly filter?: InventoryFilterDocument;
  /** Absent when the request had no `OptionalFields` element. */
  readonly optionalFields?: readonly string[];
  /** Absent only in one-time (POST) run requests. */
  readonly schedule?: { readonly frequency: 'Daily' | 'Weekly' | 'Monthly'; readonly monthlyDate?: string };
  readonly destination: {
    readonly format: 'CSV';
    readonly accountId?: string;
    /** `qcs::cos:<region>::<name>-<appid>` as given. */
    readonly bucket: string;
    readonly prefix?: string;
    readonly encryption: boolean;
  };
}
