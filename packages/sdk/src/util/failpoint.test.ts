import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { failpoint } from './failpoint.ts';

const MODULE = new URL('./failpoint.ts', import.meta.url).href;

/** Runs `await failpoint(name)` in a Node process of its own, with SPACEKIT_FAILPOINT set to `armed`, then prints "passed". */
function run(name: string, armed: string | undefined) {
  const env = { ...process.env };
  delete env.SPACEKIT_FAILPOINT;
  if (armed !== undefined) env.SPACEKIT_FAILPOINT = armed;
  const script = `const { failpoint } = await import(${JSON.stringify(MODULE)}); await failpoint(${JSON.stringify(name)}); console.log('passed');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  createInterface(child.stdout).on('line', (l) => stdout.push(l));
  const firstStderrLine = new Promise<string>((resolve) => createInterface(child.stderr).once('line', resolve));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, stdout, firstStderrLine, exited };
}

describe('failpoint', () => {
  it('returns at once when no failpoint is armed, or another one is', async () => {
    delete process.env.SPACEKIT_FAILPOINT;
    await expect(failpoint('space-create-after-reserve')).resolves.toBeUndefined();
    for (const armed of [undefined, 'some-other-point', '']) {
      const p = run('space-create-after-reserve', armed);
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(p.stdout).toEqual(['passed']);
    }
  });

  it('says so on stderr and holds the process there until it is killed', async () => {
    const p = run('space-create-after-reserve', 'space-create-after-reserve');
    expect(await p.firstStderrLine).toBe('failpoint space-create-after-reserve');
    // The process waits there with its event loop held: it has not exited and never got past the failpoint.
    expect(p.child.exitCode).toBeNull();
    p.child.kill('SIGKILL');
    expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(p.stdout).toEqual([]);
  });
});
