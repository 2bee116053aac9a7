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
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ValidationError(root || '(input)', 'is invalid');
  throw new ValidationError(formatPath(root, issue.path), issue.message);
}
