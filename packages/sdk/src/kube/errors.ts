import { ApiException } from '@kubernetes/client-node';
import { ConflictError, ForbiddenError, NotFoundError, SpacekitError, ValidationError } from '../errors.ts';

/** The apiserver's Status message of a failed client-node request, or the error's own message. */
export function serverMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body = err.body as unknown;
    if (typeof body === 'string') {
      try {
        return (JSON.parse(body) as { message?: string }).message ?? body;
      } catch {
        return body;
      }
    }
    return (body as { message?: string } | undefined)?.message ?? err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The HTTP status of a failed request, if it reached the server. */
export function statusCode(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

/**
 * Turns a client-node failure into the SDK's typed errors. `doing` says what
 * was being attempted, such as `create space acme/payments/dev`.
 */
export function toSpacekitError(err: unknown, doing: string): Error {
  if (err instanceof SpacekitError) return err;
  const message = serverMessage(err);
  switch (statusCode(err)) {
    case 403:
      return new ForbiddenError(`cannot ${doing}: the cluster refused it (403): ${message}`, { cause: err });
    case 404:
      return new NotFoundError(`cannot ${doing}: not found: ${message}`, { cause: err });
    case 409:
      return new ConflictError(`cannot ${doing}: ${message}`, { cause: err });
    case 422:
      return new ValidationError(doing, [{ path: '', message }]);
    default:
      return new SpacekitError('CLUSTER', `cannot ${doing}: ${message}`, { cause: err });
  }
}
