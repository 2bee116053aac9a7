/**
 * Ids from names, for reminders and jobs: the id field's rule is 1-64 of a-z, 0-9, `-`, `_`. The one
 * slug function: the CLI and the settings window both use it, so the same name gives the same id.
 */

/** The longest id the settings schema accepts. */
const ID_MAX_LENGTH = 64;

/**
 * Lowercase ASCII letters and digits joined by `-`, at most 64 characters. Accents are dropped
 * (`Café` → `cafe`); a name with no such letters (`休息`) gives ''.
 */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, ID_MAX_LENGTH)
    .replace(/-+$/, '');
}

/**
 * An id not in `taken`: the slug of `name`, then `-2`, `-3`, …; for no name or one without ASCII
 * letters, `<fallback>-1`, `<fallback>-2`, … (`reminder-1`).
 */
export function idFromName(
  name: string | undefined,
  taken: ReadonlySet<string>,
  fallback = 'reminder',
): string {
  const slug = name === undefined ? '' : slugify(name);
  if (slug !== '' && !taken.has(slug)) return slug;
  // Room for `-NNN` within the 64 characters.
  const base = slug === '' ? fallback : slug.slice(0, ID_MAX_LENGTH - 4);
  for (let n = slug === '' ? 1 : 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
