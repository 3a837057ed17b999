/**
 * What the provider keeps in a resource's private state (opaque to Terraform, carried from
 * apply to the next refresh): when it last wrote the object, so a refresh that does not see
 * the write yet knows to wait out COS's lag rather than report drift, and the statements an
 * upgraded 0.1.0 policy resource still has to retire.
 */

export interface PrivateState {
  /** Milliseconds since the epoch of the provider's last write of this object. */
  readonly writtenAt?: number;
  /** Sids of 0.1.0's per-source statements, removed by the next write of the grant. */
  readonly legacySids?: readonly string[];
}

export function decodePrivate(bytes: Buffer): PrivateState {
  if (bytes.length === 0) return {};
  try {
    const raw = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    return {
      ...(typeof raw.writtenAt === 'number' ? { writtenAt: raw.writtenAt } : {}),
      ...(Array.isArray(raw.legacySids)
        ? { legacySids: raw.legacySids.filter((sid): sid is string => typeof sid === 'string') }
        : {}),
    };
  } catch {
    // Another provider's private bytes (a moved resource) carry nothing for us.
    return {};
  }
}

export function encodePrivate(state: PrivateState): Buffer {
  const clean = {
    ...(state.writtenAt !== undefined ? { writtenAt: state.writtenAt } : {}),
    ...(state.legacySids !== undefined && state.legacySids.length > 0
      ? { legacySids: state.legacySids }
      : {}),
  };
  return Object.keys(clean).length === 0 ? Buffer.alloc(0) : Buffer.from(JSON.stringify(clean));
}

/** Whether a write at `writtenAt` may still be unseen at `now` (within the read-back window). */
export function isRecentWrite(state: PrivateState, now: number, windowMs: number): boolean {
  return state.writtenAt !== undefined && now - state.writtenAt < windowMs;
}
