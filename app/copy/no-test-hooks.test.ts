import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// Tests make the disk misbehave from their own worker script (test-support/faulty-worker.ts), so the
// engine that ships has nothing to switch on: no environment variable, no fault options.
describe('the shipped copy engine', () => {
  it('reads no test switch: no environment variable and no fault injection outside test-support', async () => {
    const folder = new URL('./', import.meta.url);
    const shipped = (await readdir(folder)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    const cli = new URL('../cli/commands/copy.ts', import.meta.url);
    const sources = [...shipped.map((name) => new URL(name, folder)), cli];
    expect(shipped).toContain('copy-worker.ts');
    for (const source of sources) {
      const text = await readFile(source, 'utf8');
      expect({
        source: source.pathname,
        hooks: text.match(/process\.env|MYTIMER_TEST|\bfaults?\b/gi),
      }).toEqual({
        source: source.pathname,
        hooks: null,
      });
    }
  });
});
