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
    const { HELP_TEXT } = await import('../help.ts');
    io.stdout(HELP_TEXT);
    return 0;
  },
});
