// The help text, derived from the command table: each command's words, operands, summary and flags.
import { COMMANDS } from './commands/index.ts';
import { type AnyCommandDefinition, type Flag, type Flags, GLOBAL_FLAGS, nameOf } from './define.ts';

const WIDTH = 100;
const COLUMN = 32;

/** `[--name VALUE]`, `--name VALUE` when required, `...` after a repeatable one; `-o FORMAT` for a value flag with a short form. */
export function flagSynopsis(name: string, flag: Flag): string {
  const spelled = flag.short && flag.type === 'string' ? `-${flag.short}` : `--${name}`;
  const word = flag.type === 'string' ? `${spelled} ${flag.value ?? 'VALUE'}` : spelled;
  return `${flag.required ? word : `[${word}]`}${flag.multiple ? '...' : ''}`;
}

function flagsSynopsis(flags: Flags, unlisted: readonly string[] = []): string[] {
  return Object.entries(flags)
    .filter(([name]) => !unlisted.includes(name))
    .map(([name, flag]) => flagSynopsis(name, flag));
}

/** Words joined into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(words: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One command's entry: its synopsis on the left, then its summary and flags in the right-hand column. */
export function commandHelp(definition: AnyCommandDefinition): string {
  const left = `  ${[nameOf(definition), definition.operands].filter(Boolean).join(' ')}`;
  const right = [
    ...wrap(definition.summary.split(' '), WIDTH - COLUMN),
    ...wrap(flagsSynopsis(definition.flags, definition.unlisted), WIDTH - COLUMN),
  ];
  const indent = ' '.repeat(COLUMN);
  if (left.length > COLUMN - 2) return [left, ...right.map((l) => indent + l)].join('\n');
  const [head = '', ...rest] = right;
  return [left.padEnd(COLUMN) + head, ...rest.map((l) => indent + l)].join('\n');
}

/** The whole help text for a table of commands. */
export function helpText(commands: readonly AnyCommandDefinition[]): string {
  return `usage: spacekit ${flagsSynopsis(GLOBAL_FLAGS).join(' ')} <command> [options]

Organizations hold Tenants and Tenants hold Spaces; each budget caps the level below.

commands:
${commands.map(commandHelp).join('\n')}

Q is a quantity such as 500m, 2, 512Mi or 4Gi. Durations are like 90s, 30m, 12h, 7d or 1h30m.
USER is a user name, group:NAME or sa:NAMESPACE/NAME. Options go after the command's words; the
global ones (${Object.keys(GLOBAL_FLAGS)
    .map((f) => `--${f}`)
    .join(', ')}) anywhere.
The kubeconfig defaults to $KUBECONFIG, then ~/.kube/config. The meter's directory defaults to
$SPACEKIT_METER_DIR, then $XDG_STATE_HOME/spacekit/meter (~/.local/state/spacekit/meter).
Exit status: 0 done, 1 the operation failed, 2 the command line is wrong.
`;
}

/** The help text: every command with its flags, and what the exit status means. */
export const HELP_TEXT = helpText(COMMANDS);
