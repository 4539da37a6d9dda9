import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

/** Parses input with a zod schema, turning its issues into one {@link ValidationError}. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    what,
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.code === 'unrecognized_keys' ? `${issue.message}; check the spelling against the documented fields` : issue.message,
    })),
  );
}

/** Checks that an update is a plain object before it is merged into a spec. */
export function changesObject(changes: unknown, what: string): Record<string, unknown> {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
    throw new ValidationError(what, [
      { path: '', message: 'expected an object with the fields to change, such as { resources: { cpu: 2 } }' },
    ]);
  }
  return changes as Record<string, unknown>;
}
