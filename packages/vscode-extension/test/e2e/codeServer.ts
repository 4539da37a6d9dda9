import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The code-server release the e2e suite runs: VS Code 1.139.1, as `scripts/bootstrap.sh` installs it. */
export const CODE_SERVER_VERSION = '4.139.1';

/**
 * Where `ensure_e2e_tools` (scripts/bootstrap.sh) installed code-server:
 * `$SPACEKIT_CODE_SERVER`, else the cache folder it uses.
 */
export function codeServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.SPACEKIT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'spacekit');
  const path = env.SPACEKIT_CODE_SERVER ?? join(cache, 'code-server', CODE_SERVER_VERSION, 'node_modules/.bin/code-server');
  if (!existsSync(path)) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed at ${path}: run scripts/test, or \`. scripts/bootstrap.sh && ensure_e2e_tools\``,
    );
  }
  return path;
}

/** A running code-server with its own user data, extensions and workspace folders. */
export interface CodeServer {
  url: string;
  /** The workspace folder it opens. */
  workspace: string;
  userDataDir: string;
  /** Its HOME (and so the extension's `os.homedir()`), a folder of its own that goes with it. */
  home: string;
  /** Merges settings into the user settings file; VS Code applies them as it sees the file change. */
  updateSettings(settings: Record<string, unknown>): void;
  logs(): string[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Options for {@link startCodeServer}. */
export interface CodeServerOptions {
  binary: string;
  /** The .vsix to install before starting. */
  vsix: string;
  /** User settings (settings.json). */
  settings: Record<string, unknown>;
  /** Environment of the server and so of the extension host; KUBECONFIG is removed unless given here. */
  env?: Record<string, string>;
}

/**
 * Installs the .vsix into a fresh extensions folder (the only way code-server
 * accepts an extension) and starts code-server on loopback with auth,
 * telemetry and update checks off. Resolves once it answers HTTP.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const root = mkdtempSync(join(tmpdir(), 'spacekit-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  const scratch = join(root, 'tmp');
  const home = join(root, 'home');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, workspace, scratch, home]) mkdirSync(dir, { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  let settings = { ...options.settings };
  writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  writeFileSync(join(workspace, 'README.md'), '# A workspace for the Spacekit end-to-end test\n');
  // Run code-server's entry with this Node (24), whatever `node` is first on PATH.
  const entry = realpathSync(options.binary);
  const { KUBECONFIG: _ignored, ...inherited } = process.env;
  // VS Code puts its IPC sockets and the TypeScript server's files in the temporary folder and leaves them
  // when killed; one inside root goes with it.
  // HOME too: what the extension writes under ~ (saved kubeconfigs) stays inside root.
  const env = { ...inherited, HOME: home, TMPDIR: scratch, XDG_RUNTIME_DIR: scratch, ...options.env };
  const base = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const install = spawnSync(process.execPath, [entry, ...base, '--install-extension', options.vsix], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
    throw new Error(`code-server --install-extension failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      entry,
      ...base,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ],
    // A process group of its own, so that stop() also reaches the extension host and the TypeScript server,
    // which outlive code-server's main process for a moment and write into the temporary folder meanwhile.
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const lines: string[] = [];
  if (child.stdout) createInterface(child.stdout).on('line', (l) => lines.push(l));
  if (child.stderr) createInterface(child.stderr).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise((r) => setTimeout(r, 250, 'running'))]);
    if (early !== 'running') {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`code-server exited (${String(early)}) before serving:\n${lines.join('\n')}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      signalGroup(child, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
      throw new Error(`code-server did not answer at ${url}:\n${lines.join('\n')}`);
    }
  }
  return {
    url,
    workspace,
    userDataDir,
    home,
    updateSettings: (patch) => {
      settings = { ...settings, ...patch };
      writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    },
    logs: () => [...lines],
    stop: async () => {
      if (child.exitCode === null) {
        signalGroup(child, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
      signalGroup(child, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Signals every process of the child's group; one already gone is not an error. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
