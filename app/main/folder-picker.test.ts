import { beforeEach, describe, expect, it, vi } from 'vitest';
import { pickFolder } from './folder-picker.js';
import { dialog, electronFake } from './test-support/electron-fake.js';

vi.mock('electron', () => import('./test-support/electron-fake.js'));

beforeEach(() => electronFake.reset());

describe('the folder picker', () => {
  it("opens the OS's folder dialog and answers the chosen folder", async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/ada/Backups'] });
    await expect(pickFolder()).resolves.toBe('/home/ada/Backups');
    expect(dialog.showOpenDialog).toHaveBeenCalledWith({ properties: ['openDirectory', 'createDirectory'] });
  });

  it('answers null when the user cancels', async () => {
    await expect(pickFolder()).resolves.toBeNull();
  });
});
