// The conventional runner: the in-host suite (test/in-host/suite.ts) inside a
// desktop VS Code, through @vscode/test-electron. These machines cannot
// download VS Code, so it runs only with VSCODE_EXECUTABLE_PATH set; without
// it, it says so and exits with NOT_RUN, never with a pass. The gate in CI is
// the code-server end-to-end suite (test/e2e in the repository root).
//
// Usage: VSCODE_EXECUTABLE_PATH=/path/to/code node test/run-in-vscode.ts
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { PACKAGE_DIR } from '../scripts/build.ts';
import { packageExtension } from '../scripts/package.ts';

/** Exit code for "not run": distinct from 0 (passed) and 1 (failed). 78 is sysexits' EX_CONFIG. */
export const NOT_RUN = 78;

const executable = process.env.VSCODE_EXECUTABLE_PATH;
if (!executable || !existsSync(executable)) {
  console.error(
    executable
      ? `not run: VSCODE_EXECUTABLE_PATH=${executable} does not exist`
      : 'not run: set VSCODE_EXECUTABLE_PATH to a desktop VS Code (such as /usr/share/code/code) to run the in-host suite; it is not downloaded here',
  );
  process.exit(NOT_RUN);
}

// The packaged layout (manifest named `spacekit`, bundle, media) is what runs, as in the .vsix.
await packageExtension();
const suite = join(PACKAGE_DIR, 'dist/in-host/suite.cjs');
await build({
  entryPoints: [join(PACKAGE_DIR, 'test/in-host/suite.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['vscode'],
  outfile: suite,
  logLevel: 'warning',
});
const workspace = mkdtempSync(join(tmpdir(), 'spacekit-in-host-'));
try {
  const code = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: join(PACKAGE_DIR, 'dist/vsix'),
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    // No cluster: the suite checks activation, commands and settings, and the view's "no kubeconfig" path.
    extensionTestsEnv: { KUBECONFIG: join(workspace, 'no-such-kubeconfig') },
  });
  console.log(code === 0 ? 'in-host suite passed' : `in-host suite failed (${code})`);
  process.exitCode = code === 0 ? 0 : 1;
} catch (err) {
  console.error(`in-host suite failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
