/**
 * Repairs a settings document that decodes as JSON but holds bad values, so that one bad entry never
 * costs the user the rest of their settings (nor the daemon its start): a bad general setting falls
 * back to its default; a reminder or job with a bad field is kept but disabled, that field back to its
 * default; an entry that cannot be kept at all (no usable id or schedule) is set aside. The store keeps
 * the file as it was (`settings.json.bad-<ts>`) before it saves the repaired one, so nothing is lost.
 */
import type { z } from 'zod';
import { jobSchema, reminderSchema, settingsSchema } from '../../shared/settings.js';
import { formatPath } from '../../shared/validate.js';

/** What {@link repairSettings} made of a document: a body to parse again, and one line per repair. */
export interface Repaired {
  value: Record<string, unknown>;
  problems: string[];
}

/** Fields an entry cannot be kept without: with one of them bad the entry is set aside, not disabled. */
const ESSENTIAL = new Set(['id', 'schedule', 'kind', 'source', 'destination']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem of `value` under `schema`, as `field: reason`, or null when it parses. */
function firstProblem(schema: z.ZodType, value: unknown, root: string): { key: string; line: string } | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0];
  const key = issue?.path[0];
  return {
    key: typeof key === 'string' ? key : '',
    line: `${formatPath(root, issue?.path ?? [])}: ${issue?.message ?? 'is invalid'}`,
  };
}

/** One list (reminders or jobs): each bad entry disabled with its bad fields reset, or set aside. */
function repairList(list: unknown[], name: 'reminders' | 'jobs', problems: string[]): unknown[] {
  const schema = name === 'reminders' ? reminderSchema : jobSchema;
  const kept: unknown[] = [];
  const ids = new Set<string>();
  list.forEach((entry, index) => {
    const label = `${name}[${index}]${isRecord(entry) && typeof entry.id === 'string' ? ` (${JSON.stringify(entry.id)})` : ''}`;
    if (!isRecord(entry)) {
      problems.push(`${label}: must be an object; set aside`);
      return;
    }
    let candidate: Record<string, unknown> = { ...entry };
    const reset: string[] = [];
    const first = firstProblem(schema, candidate, label);
    // Each pass drops one bad optional field (its default then applies); an essential one ends it.
    for (let problem = first; problem !== null; problem = firstProblem(schema, candidate, label)) {
      if (problem.key === '' || ESSENTIAL.has(problem.key) || reset.includes(problem.key)) {
        problems.push(`${problem.line}; set aside`);
        return;
      }
      const { [problem.key]: _dropped, ...rest } = candidate;
      candidate = { ...rest, enabled: false };
      reset.push(problem.key);
    }
    if (typeof candidate.id === 'string' && ids.has(candidate.id)) {
      problems.push(`${label}: duplicate id; set aside`);
      return;
    }
    if (typeof candidate.id === 'string') ids.add(candidate.id);
    if (first !== null) {
      problems.push(`${first.line}; disabled it (${reset.join(', ')} back to the default)`);
    }
    kept.push(candidate);
  });
  return kept;
}

/**
 * Repairs a settings body (the document without `version`). Returns null when it is not an object;
 * the result still goes through the settings schema, so a repair can never let a bad value in.
 */
export function repairSettings(body: unknown): Repaired | null {
  if (!isRecord(body)) return null;
  const problems: string[] = [];
  const value: Record<string, unknown> = { ...body };
  for (const name of ['reminders', 'jobs'] as const) {
    const list = value[name];
    if (list === undefined) continue;
    if (Array.isArray(list)) value[name] = repairList(list, name, problems);
    else {
      problems.push(`${name}: must be a list; set aside`);
      value[name] = [];
    }
  }
  const shape = settingsSchema.shape as Record<string, z.ZodType>;
  for (const [key, field] of Object.entries(shape)) {
    if (key === 'reminders' || key === 'jobs' || !(key in value)) continue;
    const problem = firstProblem(field, value[key], key);
    if (problem === null) continue;
    delete value[key];
    problems.push(`${problem.line}; using the default`);
  }
  return { value, problems };
}
