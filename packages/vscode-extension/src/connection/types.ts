import type { Spacekit } from '@spacekit/sdk';
import type { Event } from 'vscode';
import type { KubeconfigSource } from './kubeconfigSource.ts';

/** No kubeconfig file where one was looked for. */
export class NoKubeconfigError extends Error {
  readonly looked: string[];
  constructor(looked: string[]) {
    super(`No kubeconfig found (looked at ${looked.join(', ')}). Select one, or set spacekit.kubeconfig.`);
    this.looked = looked;
  }
}

/** A live SDK connection and where it came from. */
export interface Connected {
  kit: Spacekit;
  source: KubeconfigSource;
  /** The namespace of the context in use, a hint for users who may not list Organizations. */
  contextNamespace: string | undefined;
  /** `https://127.0.0.1:6443`, for messages. */
  server: string | undefined;
}

/** What views need from the connection: the current one, and word when it must be remade. */
export interface ConnectionSource {
  current(): Promise<Connected>;
  readonly onDidChange: Event<void>;
}
