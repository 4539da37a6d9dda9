import * as vscode from 'vscode';

/** The "Spacekit" output channel: every cluster call that fails, and what the extension decided, with timestamps. */
export interface Log extends vscode.Disposable {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
  show(): void;
}

/** Creates the "Spacekit" log output channel. */
export function createLog(): Log {
  const channel = vscode.window.createOutputChannel('Spacekit', { log: true });
  return {
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message, err) =>
      channel.error(err === undefined ? message : `${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
