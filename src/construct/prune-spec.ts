/**
 * The parts of the `prune` verb's spec that a destroy provisioner reads from the prune
 * resource's state (`self`). `try`: state written before destinations were tracked has
 * neither `sid` nor `destinations`; then no statement is detached.
 */
export const PRUNE_SPEC_FROM_STATE = {
  bucket: 'self.triggers_replace.bucket',
  region: 'self.triggers_replace.region',
  previous: 'self.triggers_replace.ids',
  sid: 'try(self.triggers_replace.sid, "")',
  destinations: 'try(self.triggers_replace.destinations, {})',
} as const;
