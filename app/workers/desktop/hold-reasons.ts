import type { MessageKey } from '../../shared/i18n/index.js';
import type { HoldReason } from './presence.js';

/** The catalog key naming why reminders are held (`held.idle`, `held.locked`, …). */
export function holdReasonKey(reason: HoldReason): MessageKey {
  return `held.${reason}`;
}
