// Commands load only what they use: the help and render never load the Kubernetes client. Checked
// in a real process, with a module hook that records every module Node resolves.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const RECORDER = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
const seen = new Set();
// The last node_modules in the path names the package (pnpm nests them under .pnpm).
registerHooks({ resolve(specifier, context, next) {
  const result = next(specifier, context);
  const name = /.*node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(decodeURIComponent(result.url))?.[1];
  if (name) seen.add(name);
  return result;
} });
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify([...seen]) + '\\n'));
`)}`;

/** Runs `spacekit ...args`; returns its exit code and the packages (from node_modules) it loaded. */
function packagesLoadedBy(...args: string[]): Promise<{ code: number; packages: string[] }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', RECORDER, MAIN, ...args],
      { env: { ...process.env, KUBECONFIG: '' } },
      (err, _stdout, stderr) => {
        const line = /^LOADED (.*)$/m.exec(stderr)?.[1];
        if (!line) return reject(new Error(`no record of loaded modules: ${stderr}`));
        resolve({ code: err ? Number(err.code) : 0, packages: (JSON.parse(line) as string[]).sort() });
      },
    );
  });
}

describe('what a command loads', () => {
  it('--help loads no package at all', async () => {
    expect(await packagesLoadedBy('--help')).toEqual({ code: 0, packages: [] });
  });

  it('render loads zod and yaml, not the Kubernetes client', async () => {
    const { code, packages } = await packagesLoadedBy('render', '--org', 'acme', '--tenant', 'web', '--space', 'dev', '--cpu', '1');
    expect(code).toBe(0);
    expect(packages).toEqual(['yaml', 'zod']);
  });

  it('a bad command line loads nothing', async () => {
    expect(await packagesLoadedBy('create', 'space', 'acme')).toEqual({ code: 2, packages: [] });
  });

  it('get loads the Kubernetes client (so the recorder sees packages at all)', async () => {
    const { code, packages } = await packagesLoadedBy('--kubeconfig', '/does/not/exist', 'get');
    expect(code).toBe(1);
    expect(packages).toContain('@kubernetes/client-node');
  });
});
