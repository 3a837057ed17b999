import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { isValidBucketName, isValidRegion } from '../model/bucket';

/*
 * Value checks shared by the `report` and `run` commands. commander prints
 * `error: option '--flag <value>' argument 'X' is invalid. <message>`, so each message says
 * what is allowed.
 */

export function bucketArgument(value: string): string {
  if (!isValidBucketName(value)) {
    throw new InvalidArgumentError(
      'expected <name>-<appid>: lowercase letters, digits and hyphens, then a hyphen and the appid digits, e.g. examplebucket-1250000000',
    );
  }
  return value;
}

export function regionArgument(value: string): string {
  if (!isValidRegion(value)) throw new InvalidArgumentError('expected a cos region id such as ap-guangzhou');
  return value;
}

/** COS's inventory id characters; 64 as the length limit (as S3). */
export function jobIdArgument(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new InvalidArgumentError('expected 1-64 characters among a-z A-Z 0-9 - _ .');
  }
  return value;
}

/** `YYYYMMDD` naming a real calendar day. */
export function dateArgument(value: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const day = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!match || !day || day.toISOString().slice(0, 10).replace(/-/g, '') !== value) {
    throw new InvalidArgumentError('expected a calendar date as YYYYMMDD, e.g. 20260131');
  }
  return value;
}

/** A whole number within `[min, max]`. */
export function integerArgument(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return number;
  };
}

/** Exit status for bad flags and a bad environment: nothing was sent. */
export const EXIT_USAGE = 2;
/** Exit status for a failed COS call or a report that failed verification. */
export const EXIT_FAILURE = 1;

/**
 * commander exits 1 on a usage error by default; these commands promise 2 (help stays 0). The
 * error is thrown, never `process.exit`: `runCli` returns its code.
 */
export function exitTwoOnUsageError(command: Command): Command {
  return command.exitOverride((error) => {
    throw new CommanderError(error.exitCode === 0 ? 0 : EXIT_USAGE, error.code, error.message);
  });
}
