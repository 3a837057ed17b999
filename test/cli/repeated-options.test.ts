/**
 * Every flag of every command that may repeat is honoured, every other one refused when given
 * twice: commander alone would keep the last value silently.
 */
import { Command, CommanderError } from 'commander';
import { createProgram } from '../../src/cli/run-cli';
import { Captured, stdinOf } from '../kit';

/** A valid value per flag, so only the repetition can be refused. */
const SAMPLE: Record<string, string> = {
  '--bucket': 'logs-1250000000',
  '--source': 'logs-1250000000',
  '--region': 'ap-guangzhou',
  '--job': 'daily',
  '--id': 'daily',
  '--date': '20260131',
  '--endpoint': 'http://127.0.0.1:9000',
  '--host': '127.0.0.1',
  '--construct-id': 'logs',
  '--format': 'json',
};

/** `runCli`'s program (repeated flags refused there), its actions replaced: only parsing runs. */
function program(): Command {
  const io = { env: {}, stdout: new Captured(), stderr: new Captured(), stdin: stdinOf() };
  const root = createProgram({ io, exitCode: 0 });
  const quiet = (command: Command): void => {
    command.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    command.action(() => undefined);
    command.commands.forEach(quiet);
  };
  quiet(root);
  return root;
}

function allCommands(command: Command, path: string[] = []): [string[], Command][] {
  return command.commands.flatMap((sub) => [
    [[...path, sub.name()], sub] as [string[], Command],
    ...allCommands(sub, [...path, sub.name()]),
  ]);
}

const singleValued = allCommands(program()).flatMap(([path, command]) =>
  command.options
    .filter(
      (option) =>
        !option.isBoolean() && !option.negate && !option.variadic && !Array.isArray(option.defaultValue),
    )
    .filter((option) => !(path.join(' ') === 'status' && option.long === '--bucket'))
    .filter((option) => !(path.join(' ') === 'import' && option.long === '--id'))
    .map(
      (option) =>
        [
          path.join(' '),
          option.long!,
          option.argChoices?.[0] ??
            (path.join(' ') === 'emulator deliver' && option.long === '--date' ? '2026-01-31' : undefined) ??
            SAMPLE[option.long!] ??
            '7',
        ] as const,
    ),
);

async function parse(argv: readonly string[]): Promise<CommanderError | undefined> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError) return error;
    throw error;
  }
}

describe('a flag given twice', () => {
  test('the table covers every command', () => {
    expect(new Set(singleValued.map(([command]) => command))).toEqual(
      new Set(['emulator', 'emulator deliver', 'report', 'run', 'import', 'status', 'review', 'drift']),
    );
  });

  test.each(singleValued)(
    '%s %s: refused, with exit status 2, naming the flag',
    async (command, flag, value) => {
      const error = await parse([...command.split(' '), flag, value, flag, value]);
      expect(error).toMatchObject({ code: 'cos-inventory.repeatedOption', exitCode: 2 });
      expect(error!.message).toMatch(
        new RegExp(`^error: option '${flag}[ ,].*' given more than once: it takes one value`),
      );
    },
  );

  test.each([
    ['status', '--bucket'],
    ['import', '--id'],
    ['emulator', '--bucket'],
  ])('%s %s: every value is kept', async (command, flag) => {
    const root = program();
    const values =
      command === 'emulator'
        ? ['a-1250000000@ap-guangzhou', 'b-1250000000@ap-guangzhou']
        : command === 'import'
          ? ['x', 'y']
          : ['a-1250000000', 'b-1250000000'];
    const rest =
      command === 'emulator'
        ? []
        : ['--region', 'ap-guangzhou', ...(command === 'import' ? ['--bucket', 'a-1250000000'] : [])];
    await root.parseAsync([command, ...rest, flag, values[0], flag, values[1]], { from: 'user' });
    const sub = root.commands.find((c) => c.name() === command)!;
    expect(sub.opts()[flag.slice(2)]).toEqual(values);
  });
});
