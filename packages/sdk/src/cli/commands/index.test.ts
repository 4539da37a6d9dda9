import { describe, expect, it } from 'vitest';
import { GLOBAL_FLAGS, nameOf } from '../define.ts';
import { commandHelp, HELP_TEXT } from '../help.ts';
import { COMMANDS } from './index.ts';

describe('the command table', () => {
  it('names every command once, aliases included', () => {
    const spellings = COMMANDS.flatMap((c) => [nameOf(c), ...(c.aliases ?? []).map((alias) => [...c.words.slice(0, -1), alias].join(' '))]);
    expect(new Set(spellings).size).toBe(spellings.length);
  });

  it('lists every command in the help, with its flags', () => {
    for (const command of COMMANDS) {
      expect(HELP_TEXT).toContain(commandHelp(command));
      for (const [name, flag] of Object.entries(command.flags)) {
        if (command.unlisted?.includes(name)) continue;
        expect(HELP_TEXT, `${nameOf(command)} --${name}`).toMatch(flag.short && flag.type === 'string' ? `-${flag.short} ` : `--${name}`);
      }
    }
    expect(HELP_TEXT.split('\n')[0]).toBe('usage: spacekit [--kubeconfig PATH] [--context NAME] <command> [options]');
  });

  it('keeps the global flags global: no command defines them again', () => {
    for (const command of COMMANDS)
      for (const name of Object.keys(GLOBAL_FLAGS)) expect(command.flags, nameOf(command)).not.toHaveProperty(name);
  });

  it('gives a flag one meaning among the commands of one verb, so that finding the command can skip its value', () => {
    const verbs = Map.groupBy(COMMANDS, (c) => c.words[0]);
    for (const [verb, family] of verbs) {
      const types = new Map<string, string>();
      for (const command of family) {
        for (const [name, flag] of Object.entries(command.flags)) {
          expect(types.get(name) ?? flag.type, `${verb} --${name}`).toBe(flag.type);
          types.set(name, flag.type);
        }
      }
    }
  });
});
