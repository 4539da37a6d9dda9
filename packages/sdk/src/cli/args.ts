// Turns a command line into a Command, using the table in commands/index.ts.
import { COMMANDS } from './commands/index.ts';
import type { CreateOrgCommand, CreateSpaceCommand, CreateTenantCommand } from './commands/create.ts';
import type { DeleteCommand } from './commands/delete.ts';
import type { GetCommand } from './commands/get.ts';
import type { HelpCommand } from './commands/help.ts';
import type { InstallCommand, UninstallCommand } from './commands/install.ts';
import type { OperatorCommand } from './commands/operator.ts';
import type { RenderCommand } from './commands/render.ts';
import type { UpCommand } from './commands/up.ts';
import type { UpdateCommand } from './commands/update.ts';
import type { UsageCommand, UsageReportCommand } from './commands/usage.ts';
import { type AnyCommandDefinition, type Flags, GLOBAL_FLAGS, type GlobalOptions, nameOf, parseFor } from './define.ts';
import { UsageError } from './errors.ts';

export {
  type GlobalOptions,
  type Level,
  OUTPUT_FORMATS,
  type OutputFormat,
  parsePath,
  parseRef,
  type Ref,
} from './define.ts';
export { parseMember, type SpaceChanges } from './space-flags.ts';
export type { OperatorInstall } from './commands/install.ts';
export type { OperatorOptions } from './commands/operator.ts';
export { REPORT_FORMATS, REPORT_LEVELS } from './commands/usage.ts';

/** One parsed command, ready to run. */
export type Command =
  | HelpCommand
  | InstallCommand
  | OperatorCommand
  | UsageCommand
  | UsageReportCommand
  | UninstallCommand
  | UpCommand
  | GetCommand
  | CreateOrgCommand
  | CreateTenantCommand
  | CreateSpaceCommand
  | UpdateCommand
  | DeleteCommand
  | RenderCommand;

/** A whole command line: global options plus the command. */
export interface CommandLine {
  global: GlobalOptions;
  command: Command;
}

/** A command line with the definition that parsed it, which also runs it. */
export interface ResolvedCommandLine extends CommandLine {
  definition: AnyCommandDefinition;
}

const HELP: CommandLine = { global: {}, command: { command: 'help' } };

/**
 * Parses `spacekit`'s arguments (without `node` and the script).
 *
 * @throws {UsageError} with a message that says what was expected.
 */
export function parseCommandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CommandLine {
  const { global, command } = resolveCommandLine(argv, env);
  return { global, command };
}

/** {@link parseCommandLine}, keeping the definition. */
export function resolveCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  commands = COMMANDS,
): ResolvedCommandLine {
  const help = commands.find((c) => nameOf(c) === 'help');
  if (wantsHelp(argv)) {
    if (!help) throw new UsageError('no help here');
    return { ...HELP, definition: help };
  }
  const { definition, lead } = findCommand(argv, commands);
  const { global, input } = parseFor(definition, argv, lead, env);
  return { global, command: definition.parse(input) as Command, definition };
}

/** `-h` or `--help` anywhere before `--`. */
function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}

/**
 * Which definition the command line names, and its words as typed. The first word picks the verb;
 * where the verb has several commands (`create org|tenant|space`, `usage` and `usage report`), the
 * next word picks among them. Values of flags are skipped, so that `get -o json acme` finds `get`.
 */
function findCommand(
  argv: readonly string[],
  commands: readonly AnyCommandDefinition[],
): { definition: AnyCommandDefinition; lead: string[] } {
  const first = nextWord(argv, 0, valueFlags([GLOBAL_FLAGS]));
  if (!first) throw new UsageError('no command given');
  const family = commands.filter((c) => c.words[0] === first.word);
  if (family.length === 0) throw new UsageError(`unknown command "${first.word}"`);
  const plain = family.find((c) => c.words.length === 1);
  const subcommands = family.filter((c) => c.words.length > 1);
  if (subcommands.length === 0 && plain) return { definition: plain, lead: [first.word] };
  const second = nextWord(argv, first.index + 1, valueFlags([GLOBAL_FLAGS, ...family.map((c) => c.flags)]));
  const sub = subcommands.find((c) => second !== undefined && (c.words[1] === second.word || (c.aliases ?? []).includes(second.word)));
  if (sub && second) return { definition: sub, lead: [first.word, second.word] };
  if (plain) return { definition: plain, lead: [first.word] };
  const choices = subcommands.map((c) => c.words[1]).join('|');
  throw new UsageError(
    `${first.word} what? Use: spacekit ${first.word} ${choices} ...${second === undefined ? '' : ` (not "${second.word}")`}`,
  );
}

/** The flags of `groups` that take a value, as they may be written: `--name` and `-x`. */
function valueFlags(groups: readonly Flags[]): Set<string> {
  const names = new Set<string>();
  for (const flags of groups) {
    for (const [name, flag] of Object.entries(flags)) {
      if (flag.type !== 'string') continue;
      names.add(`--${name}`);
      if (flag.short) names.add(`-${flag.short}`);
    }
  }
  return names;
}

/** The next word from `start` that is not a flag or a flag's value. */
function nextWord(argv: readonly string[], start: number, takesValue: ReadonlySet<string>): { word: string; index: number } | undefined {
  for (let i = start; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--') return i + 1 < argv.length ? { word: argv[i + 1] ?? '', index: i + 1 } : undefined;
    if (takesValue.has(arg)) i += 1;
    else if (!arg.startsWith('-') || arg === '-') return { word: arg, index: i };
  }
  return undefined;
}
