import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Renders a zod issue path the way users read it: `[2].priority`, `reminders[0].schedule.time`. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(input)';
}

/**
 * Parses `value` with a zod schema; the first problem becomes a ValidationError naming the field.
 * Schemas carry their own messages with the allowed range, so the error reads as one clear line.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root = ''): z.output<S> {
  return unwrapParse(schema.safeParse(value), root);
}

/** A safeParse result's data, or its first problem as a ValidationError naming the field (see {@link parseWith}). */
export function unwrapParse<T>(result: z.ZodSafeParseResult<T>, root = ''): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ValidationError(root || '(input)', 'is invalid');
  throw new ValidationError(formatPath(root, issue.path), issue.message);
}
