// Sizes and speeds as people read them: one formatter for the CLI, the tray and the windows.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** "512 B", "1.5 KiB", "12.3 MiB", "4.0 GiB" (binary units; a fraction of a byte is rounded). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(bytes)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** "0 B/s", "21.6 B/s", "1.2 MiB/s": at most one decimal, whatever the division gave. */
export function formatBytesPerSecond(bytesPerSecond: number): string {
  const rate = Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond : 0;
  return rate < 1024 ? `${Number(rate.toFixed(1))} B/s` : `${formatBytes(rate)}/s`;
}
