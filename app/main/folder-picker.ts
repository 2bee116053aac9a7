import { dialog } from 'electron';

/**
 * The Backups panel's folder picker: the OS's own folder dialog (`openDirectory`, a new folder may be
 * made in it), answering the chosen folder's absolute path, or null when the user cancelled.
 */
export async function pickFolder(): Promise<string | null> {
  const result = await dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'] });
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
