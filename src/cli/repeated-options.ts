/**
 * A flag given twice is honoured (its values collected) or refused: commander keeps the last
 * value of a single-value option, so `status --bucket A --bucket B` used to report B alone.
 */
import type { Command } from 'commander';
import { EXIT_USAGE } from './cos-options';

const COLLECTORS = new WeakSet<object>();

/** A parser collecting every occurrence of an option, each checked by `parse`. */
export function repeatable<T>(
  parse: (value: string) => T,
): (value: string, previous: T[] | undefined) => T[] {
  const collect = (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
  COLLECTORS.add(collect);
  return collect;
}

/** Options that may repeat: collected by `repeatable`, variadic, or with a list default. */
function mayRepeat(option: Command['options'][number]): boolean {
  return (
    option.isBoolean() ||
    option.negate ||
    option.variadic ||
    Array.isArray(option.defaultValue) ||
    (option.parseArg !== undefined && COLLECTORS.has(option.parseArg))
  );
}

/** Refuses a second occurrence of every single-value option of `command` and its subcommands. */
export function refuseRepeatedOptions(command: Command): void {
  const seen = new Set<string>();
  for (const option of command.options) {
    if (mayRepeat(option)) continue;
    command.on(`option:${option.name()}`, () => {
      if (seen.has(option.name())) {
        command.error(
          `error: option '${option.flags}' given more than once: it takes one value (give it once)`,
          { exitCode: EXIT_USAGE, code: 'cos-inventory.repeatedOption' },
        );
      }
      seen.add(option.name());
    });
  }
  // A command object parsed again (in process) starts afresh.
  command.hook('preAction', () => seen.clear());
  for (const sub of command.commands) refuseRepeatedOptions(sub);
}
