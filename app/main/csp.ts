// No electron import here: tests/security reads this without loading Electron.

/**
 * The settings page's Content-Security-Policy, sent as a header with every `app://mytimer` response:
 * only the app's own scripts and styles, no network at all, no plugins, no framing, no forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
