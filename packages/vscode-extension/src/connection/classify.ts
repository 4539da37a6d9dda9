import { NotInstalledError, SpacekitError } from '@spacekit/sdk';

/** The states the Spaces view shows a welcome for, plus the two it shows a tree for. */
export type ViewState = 'connecting' | 'noKubeconfig' | 'unreachable' | 'notInstalled' | 'noScopes' | 'noOrganizations' | 'ready';

/** Why a failed connection failed, as the view tells it. */
export interface Failure {
  state: Exclude<ViewState, 'connecting' | 'ready' | 'noOrganizations'>;
  /** One line for the view's message area. */
  message: string;
}

function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  while (current !== undefined && current !== null && chain.length < 5) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/**
 * Sorts a failure to reach Spacekit into what the user should do next:
 * install it, or fix the way to the cluster. Anything that is not an answer
 * from the API server (refused connections, DNS, TLS, timeouts) counts as
 * unreachable.
 */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof NotInstalledError) return { state: 'notInstalled', message: err.message };
  if (err instanceof SpacekitError && err.code !== 'CLUSTER') return { state: 'unreachable', message: err.message };
  const codes = causeChain(err)
    .map((e) => (e as { code?: unknown }).code)
    .filter((c): c is string => typeof c === 'string');
  // A wrapper that already quotes its cause's message (the SDK names the request that was refused) is not repeated.
  const messages: string[] = [];
  for (const e of causeChain(err)) {
    const message = e instanceof Error ? e.message : String(e);
    if (message && !messages.some((m) => m.includes(message))) messages.push(message);
  }
  const detail = messages.join(': ');
  const hint = codes.find((c) => /^E[A-Z]+/.test(c));
  return { state: 'unreachable', message: `Cannot reach the cluster${hint ? ` (${hint})` : ''}: ${detail}` };
}
