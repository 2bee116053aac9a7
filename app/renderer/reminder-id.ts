/**
 * A new reminder's id from its name (the id field's rule: 1-64 of a-z, 0-9, "-", "_"): `Drink water`
 * → `drink-water`, then `drink-water-2` when taken; a name without such letters (`喝水`) or no name
 * gives `reminder-1`, `reminder-2`, ….
 */
export function reminderIdFor(name: string, taken: ReadonlySet<string>): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  if (slug !== '' && !taken.has(slug)) return slug;
  const base = slug === '' ? 'reminder' : slug;
  for (let n = slug === '' ? 1 : 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
