/**
 * Which tray icon file to show. The files in build/icons/ are made by scripts/make-icons.mjs:
 * `tray-<active|paused>-<light|dark>-<16|22|32>.png`, each with an `@2x` sibling that Electron picks on
 * HiDPI screens by itself. `light` is drawn for a light panel (a dark glyph), `dark` for a dark one.
 */

/** What the icon shows. */
export interface TrayIconState {
  paused: boolean;
  /** `nativeTheme.shouldUseDarkColors`. */
  darkTheme: boolean;
  platform: NodeJS.Platform;
}

/** The tray icon sizes generated for each platform's panel, in logical pixels. */
export const TRAY_ICON_SIZES = Object.freeze([16, 22, 32] as const);

/** The icon's logical size: macOS's menu bar and Windows' notification area take 16, Linux panels 22. */
export function trayIconSize(platform: NodeJS.Platform): 16 | 22 {
  return platform === 'darwin' || platform === 'win32' ? 16 : 22;
}

/** The file name (in build/icons/) for `state`. */
export function trayIconFile(state: TrayIconState): string {
  const shows = state.paused ? 'paused' : 'active';
  const theme = state.darkTheme ? 'dark' : 'light';
  return `tray-${shows}-${theme}-${trayIconSize(state.platform)}.png`;
}
