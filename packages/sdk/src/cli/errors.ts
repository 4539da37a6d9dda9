// Loaded by every command line, so it imports nothing heavy, and not @spacekit/local-cluster, which
// npm users may not have: the launcher's errors are known by their name.
import { SpacekitError, ValidationError } from '../errors.ts';
import { QuantityError, ResourceListError } from '../quantity/errors.ts';

/** The command line does not say what to do; the CLI exits 2 and prints its usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the CLI itself detects at run time, such as an unreadable kubeconfig; exits 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** How an error ends a command: the exit status and the text for stderr. */
export interface ErrorReport {
  exitCode: 1 | 2;
  message: string;
  /** Print the usage after the message. */
  showUsage: boolean;
}

/**
 * Maps an error to what the user sees. The SDK's and the launcher's errors
 * already say what to do next, so their messages are shown unchanged; only
 * errors nobody anticipated get a pointer to the stack trace.
 */
export function describeError(err: unknown, options: { debug?: boolean } = {}): ErrorReport {
  if (err instanceof UsageError) return { exitCode: 2, message: err.message, showUsage: true };
  if (err instanceof ValidationError) return { exitCode: 1, message: withIssues(err), showUsage: false };
  if (
    err instanceof SpacekitError ||
    isLocalClusterError(err) ||
    err instanceof CliError ||
    err instanceof QuantityError ||
    err instanceof ResourceListError
  ) {
    return { exitCode: 1, message: withCauses(err), showUsage: false };
  }
  if (err instanceof Error) {
    // System errors (ECONNREFUSED, ENOENT) explain themselves; anything else is a bug worth a stack.
    const systemError = isSystemError(err) || isSystemError(err.cause instanceof Error ? err.cause : err);
    const message = options.debug
      ? (err.stack ?? err.message)
      : systemError
        ? withCauses(err)
        : `${withCauses(err)} (set SPACEKIT_DEBUG=1 to see where)`;
    return { exitCode: 1, message, showUsage: false };
  }
  return { exitCode: 1, message: String(err), showUsage: false };
}

// The SDK's ValidationError lists its issues in the message; add any that a
// differently-built one left out, so that no issue goes unreported.
function withIssues(err: ValidationError): string {
  const missing = err.issues.filter((issue) => !err.message.includes(issue.message));
  if (missing.length === 0) return err.message;
  return `${err.message}\n${missing.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`;
}

/**
 * The message plus that of any network or system error behind it: `fetch
 * failed` alone does not say that the apiserver refused the connection. Other
 * causes (such as the client's HTTP errors, which embed the whole response
 * body) are already summarised in the message.
 */
function withCauses(err: Error): string {
  let message = err.message;
  const seen = new Set<unknown>([err]);
  for (let cause = err.cause; cause instanceof Error && !seen.has(cause); cause = cause.cause) {
    seen.add(cause);
    if (isSystemError(cause) && !message.includes(cause.message)) message += `: ${cause.message}`;
  }
  return message;
}

/** An error from @spacekit/local-cluster (its class is not imported: the package is optional). */
function isLocalClusterError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'LocalClusterError' && typeof (err as { code?: unknown }).code === 'string';
}

function isSystemError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^(E[A-Z0-9_]+|UND_ERR_[A-Z_]+)$/.test(code);
}
