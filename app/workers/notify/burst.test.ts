import { describe, expect, it } from 'vitest';
import { BurstCoalescer, summaryNames, type BurstItem } from './burst.js';

const item = (title: string): BurstItem => ({ title, message: `${title}!`, sound: undefined });

function setup() {
  const shown: BurstItem[] = [];
  const bursts = new BurstCoalescer({
    show: async (shownItem) => {
      shown.push(shownItem);
      return true;
    },
    summarize: (items) => ({
      title: `${items.length} reminders`,
      message: summaryNames(items),
      sound: undefined,
    }),
  });
  return { bursts, shown };
}

describe('bursts', () => {
  it('more than 3 members of one turn become one summary; each member learns it was delivered', async () => {
    const { bursts, shown } = setup();
    const reports = ['Water', 'Stretch', 'Walk', 'Breathe', 'Stand', 'Blink', 'Sit'].map((title) => ({
      title,
      report: bursts.join(),
    }));
    // Members report later, in any order, as their state saves complete.
    const delivered = await Promise.all(reports.reverse().map(({ title, report }) => report(item(title))));
    expect(delivered.every(Boolean)).toBe(true);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toBe('7 reminders');
    expect(shown[0]!.message).toBe('Sit, Blink, Stand, Breathe, Walk, …');
  });

  it('members that show nothing do not count, and the next turn is a new burst', async () => {
    const { bursts, shown } = setup();
    const first = [bursts.join(), bursts.join(), bursts.join(), bursts.join(), bursts.join()];
    await Promise.resolve(); // the turn ends
    const second = bursts.join();
    const results = await Promise.all([
      first[0]!(item('a')),
      first[1]!(null),
      first[2]!(item('b')),
      first[3]!(null),
      first[4]!(item('c')),
      second(item('d')),
    ]);
    expect(results).toEqual([true, false, true, false, true, true]);
    expect(shown.map((s) => s.title).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
