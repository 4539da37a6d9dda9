// What a `spacekit` command is made of, and the parsing every command shares.
//
// Each command is one module in commands/ that exports a CommandDefinition: the words that select
// it, its flags (node:util parseArgs options plus what the help shows), how it turns parsed flags
// into a Command, and its action. The table in commands/index.ts lists them; the parser, the help
// text and the list of flags that take a value all derive from that table.
//
// This module and the definitions are loaded for every command line, `--help` included, so they
// import nothing heavy: an action imports what it needs (the SDK, the Kubernetes client, YAML)
// when it runs.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { parseDuration } from '../meter/duration.ts';
import type { Spacekit } from '../spacekit.ts';
import { UsageError } from './errors.ts';

/** One flag: what node:util parseArgs needs, plus what the help text shows. */
export interface Flag {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** The value's placeholder in the help: `Q`, `PATH`, `json|text`. */
  readonly value?: string;
  /** Shown without brackets in the synopsis: the command needs it. */
  readonly required?: boolean;
}

export type Flags = Readonly<Record<string, Flag>>;

/** What parseArgs returns for `F`: booleans, strings and, for repeatable flags, string lists. */
export type FlagValues<F extends Flags> = {
  -readonly [K in keyof F]?: F[K]['type'] extends 'boolean' ? boolean : F[K] extends { multiple: true } ? string[] : string;
};

/** Options that apply to every command, before or after its words. */
export const GLOBAL_FLAGS = {
  kubeconfig: { type: 'string', value: 'PATH' },
  context: { type: 'string', value: 'NAME' },
} as const satisfies Flags;

/** Options that apply to every command. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
}

/** Where the CLI reads and writes; the process in production, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves on Ctrl-C or SIGTERM; `up`, `operator` and `usage --watch` run until then. */
  untilStopped(): Promise<void>;
  /** True when stdout is a terminal, so that `usage --watch` may redraw in place. */
  interactive?: boolean;
}

/** What `-o` accepts. */
export const OUTPUT_FORMATS = ['text', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** An Organization, Tenant or Space named on the command line. */
export type Ref =
  | { level: 'organization'; organization: string }
  | { level: 'tenant'; organization: string; tenant: string }
  | { level: 'space'; organization: string; tenant: string; space: string };
export type Level = Ref['level'];

/** What a command's parse step gets. */
export interface ParseInput<F extends Flags> {
  values: FlagValues<F>;
  /** Positionals after the command's words. */
  operands: string[];
  /** The command's words as the user typed them (`create organization`), for messages. */
  lead: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** What a command's action gets. */
export interface CommandContext {
  io: CliIo;
  global: GlobalOptions;
  /** Connects as the global options say; loads the SDK and the Kubernetes client on first use. */
  connect(): Promise<Spacekit>;
  /** Prints `text()` for `-o text`, else the data as JSON or YAML. */
  print(format: OutputFormat, data: unknown, text: () => string): Promise<void>;
}

/** One `spacekit` command: its words, flags and help, how it parses, and what it does. */
export interface CommandDefinition<C extends { command: string } = { command: string }, F extends Flags = Flags> {
  /** The words that select it, as the help shows them: `['create', 'org']`. */
  readonly words: readonly string[];
  /** Other spellings of the last word: `organization` for `org`. */
  readonly aliases?: readonly string[];
  /** What follows the words on the synopsis line: `ORG/TENANT/NAME`. */
  readonly operands?: string;
  /** How many operands it takes (default none), and their shape for the message when one is missing. */
  readonly arity?: { min?: number; max?: number; what?: string };
  /** What it does, for the help. */
  readonly summary: string;
  readonly flags: F;
  /** Flags left off the synopsis because the summary describes them. */
  readonly unlisted?: readonly (keyof F & string)[];
  /** @throws {UsageError} with what was expected. */
  parse(input: ParseInput<F>): C;
  /** Runs it; resolves to the exit status. */
  run(command: C, context: CommandContext): Promise<number>;
}

/** Declares a command; the type parameters are inferred from the definition. */
export function defineCommand<C extends { command: string }, const F extends Flags>(
  definition: CommandDefinition<C, F>,
): CommandDefinition<C, F> {
  return definition;
}

/**
 * A definition in a table of different commands: what the parser and the help read. Its parse and
 * run meet only through the same definition, so the table need not know their types.
 */
export interface AnyCommandDefinition extends Omit<CommandDefinition, 'parse' | 'run' | 'unlisted'> {
  readonly unlisted?: readonly string[];
  parse(input: ParseInput<Flags>): { command: string };
  run(command: { command: string }, context: CommandContext): Promise<number>;
}

/** The command's name as the help and messages show it. */
export const nameOf = (definition: AnyCommandDefinition) => definition.words.join(' ');

// ---------------------------------------------------------------------------------------------
// Flag groups several commands share.

export const OUTPUT_FLAG = { output: { type: 'string', short: 'o', value: OUTPUT_FORMATS.join('|') } } as const satisfies Flags;

export const RESOURCE_FLAGS = {
  cpu: { type: 'string', value: 'Q' },
  memory: { type: 'string', value: 'Q' },
  resource: { type: 'string', multiple: true, value: 'NAME=Q' },
} as const satisfies Flags;

// ---------------------------------------------------------------------------------------------
// Parsing one command line against one definition.

/**
 * Parses argv strictly with the global flags plus the definition's, checks that the command's
 * words come first and that the operands fit, and returns what the definition's parse step takes.
 */
export function parseFor<F extends Flags>(
  definition: CommandDefinition<{ command: string }, F>,
  argv: readonly string[],
  lead: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { global: GlobalOptions; input: ParseInput<F> } {
  const name = lead.join(' ');
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: ParseArgsOptionsConfig; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parseArgsOptions({ ...GLOBAL_FLAGS, ...definition.flags }),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(parseArgsProblem(err, name));
  }
  const { positionals, values } = parsed;
  if (lead.some((word, i) => positionals[i] !== word)) throw new UsageError(`put options after the command: spacekit ${name} ...`);
  const operands = positionals.slice(lead.length);
  const { min = 0, max = 0, what = '' } = definition.arity ?? {};
  if (operands.length < min) throw new UsageError(`spacekit ${name} needs ${what}, such as ${example(what)}`);
  if (operands.length > max) throw new UsageError(`unexpected argument "${operands[max]}" for spacekit ${name}`);
  const { kubeconfig, context, ...own } = values as Record<string, unknown> & { kubeconfig?: string; context?: string };
  const global: GlobalOptions = { ...(kubeconfig !== undefined && { kubeconfig }), ...(context !== undefined && { context }) };
  return { global, input: { values: own as FlagValues<F>, operands, lead: name, env } };
}

/** The flags as parseArgs takes them: its own fields only. */
function parseArgsOptions(flags: Flags): ParseArgsOptionsConfig {
  const options: ParseArgsOptionsConfig = {};
  for (const [name, { type, short, multiple }] of Object.entries(flags)) {
    options[name] = { type, ...(short !== undefined && { short }), ...(multiple !== undefined && { multiple }) };
  }
  return options;
}

// Node's messages suggest `--` for positionals that start with a dash, which
// never applies here; name the option and the command instead.
function parseArgsProblem(err: unknown, command: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  const message = (err as Error).message;
  const option = /'([^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option} for spacekit ${command}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${option} needs a value (spacekit ${command})`;
  return message;
}

// ---------------------------------------------------------------------------------------------
// Values.

export function choice<const T extends readonly string[]>(flag: string, value: string, allowed: T): T[number] {
  if (!allowed.includes(value)) throw new UsageError(`${flag} takes ${allowed.join(', ')}; not "${value}"`);
  return value as T[number];
}

export function outputFormat(value: string | undefined): OutputFormat {
  return value === undefined ? 'text' : choice('-o', value, OUTPUT_FORMATS);
}

export function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min)
    throw new UsageError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}"`);
  return n;
}

/** A duration flag's value in milliseconds; a bad one is the command line's fault. */
export function duration(flag: string, value: string): number {
  try {
    return parseDuration(value, flag);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

// ---------------------------------------------------------------------------------------------
// Names of Organizations, Tenants and Spaces.

export const SHAPES: Record<Level, { shape: string; example: string }> = {
  organization: { shape: 'ORG', example: 'acme' },
  tenant: { shape: 'ORG/TENANT', example: 'acme/payments' },
  space: { shape: 'ORG/TENANT/SPACE', example: 'acme/payments/dev' },
};

function example(shape: string): string {
  return Object.values(SHAPES).find((s) => s.shape === shape)?.example ?? shape;
}

/**
 * Parses a name of the given level: `acme`, `acme/payments` or `acme/payments/dev`.
 * Only the shape is checked; whether each name is allowed is the SDK's call,
 * so that its message (with the rules for names) reaches the user.
 */
export function parseRef<L extends Level>(text: string, lvl: L): Extract<Ref, { level: L }> {
  const parts = text.split('/');
  const { shape, example: sample } = SHAPES[lvl];
  const depth = lvl === 'organization' ? 1 : lvl === 'tenant' ? 2 : 3;
  if (parts.length !== depth || parts.some((p) => p === '')) {
    throw new UsageError(`expected ${shape}, such as ${sample}${text === '' ? '' : `, not "${text}"`}`);
  }
  const [organization = '', tenant = '', space = ''] = parts;
  const ref: Ref =
    lvl === 'organization'
      ? { level: 'organization', organization }
      : lvl === 'tenant'
        ? { level: 'tenant', organization, tenant }
        : { level: 'space', organization, tenant, space };
  return ref as Extract<Ref, { level: L }>;
}

/** Parses what `get` and `usage` take: `ORG`, `ORG/TENANT` or `ORG/TENANT/SPACE`. */
export function parsePath(text: string): Ref {
  const depth = text.split('/').length;
  if (depth > 3) throw new UsageError(`expected ORG, ORG/TENANT or ORG/TENANT/SPACE, such as acme/payments/dev, not "${text}"`);
  return parseRef(text, depth === 1 ? 'organization' : depth === 2 ? 'tenant' : 'space');
}

/** `acme`, `acme/payments`, `acme/payments/dev`. */
export function refPath(ref: Ref): string {
  if (ref.level === 'organization') return ref.organization;
  if (ref.level === 'tenant') return `${ref.organization}/${ref.tenant}`;
  return `${ref.organization}/${ref.tenant}/${ref.space}`;
}
