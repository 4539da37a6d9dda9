import { defineCommand } from '../define.ts';

export interface HelpCommand {
  command: 'help';
}

/** `spacekit help`; `-h` and `--help` anywhere on a command line mean the same. */
export const help = defineCommand({
  words: ['help'],
  summary: 'this text',
  flags: {},
  parse: (): HelpCommand => ({ command: 'help' }),
  async run(_command, { io }) {
    const { USAGE } = await import('../usage.ts');
    io.stdout(USAGE);
    return 0;
  },
});
