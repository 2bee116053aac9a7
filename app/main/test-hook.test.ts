import { afterEach, describe, expect, it } from 'vitest';
import { installTestHook, type MyTimerTestHook } from './test-hook.js';

const hook: MyTimerTestHook = {
  openSettings: () => undefined,
  trayMenuTemplate: () => [],
  quit: () => undefined,
  daemonPid: () => null,
  status: () => null,
};

afterEach(() => {
  globalThis.__mytimerTest = undefined;
});

describe('installTestHook', () => {
  it('exposes the hook only with MYTIMER_E2E=1', () => {
    expect(installTestHook(hook, {})).toBe(false);
    expect(installTestHook(hook, { MYTIMER_E2E: 'true' })).toBe(false);
    expect(globalThis.__mytimerTest).toBeUndefined();
    expect(installTestHook(hook, { MYTIMER_E2E: '1' })).toBe(true);
    expect(globalThis.__mytimerTest).toBe(hook);
  });
});
