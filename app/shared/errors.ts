import { translate, type MessageKey } from './i18n/index.js';

/**
 * A message the catalog can say in any language: its key and parameters. Errors carry one beside
 * their English text, and the daemon's error reply passes it on, so the settings window and the CLI
 * show the error in their own language.
 */
export interface CatalogText {
  key: MessageKey;
  params: Record<string, string | number>;
}

/** An error whose message comes from the catalog: English in `message`, the key and params in `text`. */
export class CatalogError extends Error {
  readonly text: CatalogText;
  constructor(key: MessageKey, params: Record<string, string | number> = {}) {
    super(translate('en', key, params));
    this.text = { key, params };
  }
}

/**
 * Bad input, named: `field` is the path of the offending value (`priority`, `tasks[3].name`,
 * `schedule.intervalMs`) and the message says what is allowed. Every boundary throws this,
 * so the CLI can print one line and exit 2, and the daemon can reply with a typed error.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly field: string,
    readonly reason: string,
    /** The reason as a catalog entry, when it has one (then `reason` is its English text). */
    readonly text?: CatalogText,
  ) {
    super(`${field}: ${reason}`);
  }

  /** A ValidationError whose reason is the catalog's `key`: English here, any language for a client. */
  static of(field: string, key: MessageKey, params: Record<string, string | number> = {}): ValidationError {
    return new ValidationError(field, translate('en', key, params), { key, params });
  }

  /** The same error with its field nested under a parent path (`tasks[2]` + `priority` → `tasks[2].priority`). */
  within(parent: string): ValidationError {
    const sep = this.field.startsWith('[') ? '' : '.';
    return new ValidationError(parent ? `${parent}${sep}${this.field}` : this.field, this.reason, this.text);
  }
}

/** Describes a value for an error message without dumping huge or hostile input. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A finite number in [min, max], or a ValidationError naming `field` and the range. */
export function checkNumberInRange(
  field: string,
  value: unknown,
  min: number,
  max: number,
  unit = '',
): number {
  const suffix = unit ? ` ${unit}` : '';
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(
      field,
      `must be a finite number from ${min} to ${max}${suffix} (got ${describeValue(value)})`,
    );
  }
  if (value < min || value > max) {
    throw new ValidationError(field, `must be from ${min} to ${max}${suffix} (got ${value})`);
  }
  return value;
}
