import { describe, expect, it } from 'vitest';
import { type Connected, type ConnectionSource, NoKubeconfigError } from '../connection/types.ts';
import type { Log } from '../log.ts';
import { readSettings } from '../settings.ts';
import { RefreshManager } from './RefreshManager.ts';
import { SpacesModel } from './spaces/SpacesModel.ts';

/** A minimal event, shaped like vscode.Event. */
function emitter<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    event: (listener: (value: T) => void) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    fire: (value: T) => {
      for (const l of listeners) l(value);
    },
  };
}

const quiet: Log = { info: () => {}, warn: () => {}, error: () => {}, show: () => {}, dispose: () => {} };

/** A connection with no kubeconfig: it never reaches a cluster, so the test needs none and fakes none. */
function noKubeconfig(): ConnectionSource & { attempts: number } {
  const changed = emitter<void>();
  return {
    attempts: 0,
    current(): Promise<Connected> {
      this.attempts++;
      return Promise.reject(new NoKubeconfigError(['/nowhere/kubeconfig']));
    },
    onDidChange: changed.event,
  };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the refresh manager', () => {
  it('does nothing while the view is hidden, connects when it shows, and stops when it hides again', async () => {
    const visibility = emitter<unknown>();
    const view = { visible: false, onDidChangeVisibility: visibility.event };
    const model = new SpacesModel();
    const connection = noKubeconfig();
    let redraws = 0;
    const manager = new RefreshManager(
      view,
      model,
      connection,
      () => readSettings(() => undefined),
      quiet,
      () => redraws++,
    );
    await settled();
    expect(connection.attempts).toBe(0);
    expect(manager.live).toBe(false);

    view.visible = true;
    visibility.fire(undefined);
    expect(manager.live).toBe(true);
    await settled();
    expect(connection.attempts).toBe(1);
    // A change of state (here to the "no kubeconfig" welcome) is drawn at once, not after the debounce.
    expect(model.state).toBe('noKubeconfig');
    expect(redraws).toBeGreaterThan(0);

    view.visible = false;
    visibility.fire(undefined);
    expect(manager.live).toBe(false);
    manager.dispose();
  });
});
