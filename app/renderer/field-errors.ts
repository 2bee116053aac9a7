/// <reference lib="dom" />
import { h } from './dom.js';

/**
 * The daemon names a bad value by its path (`params.reminder.priority`, `params.patch.niceness`,
 * `params.reminder.workingHours[0].start`); a form shows the message next to the matching control:
 * the slot `field-error-<field>`, `aria-invalid` on the control, which `aria-describedby` the slot.
 */

/** The form field a daemon error path points at: `params.reminder.schedule.intervalMs` → `schedule`. */
export function fieldOf(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const rest = path.replace(/^params\.(?:reminder|patch)\./, '').replace(/^params\./, '');
  return /^[A-Za-z]+/.exec(rest)?.[0];
}

interface Entry {
  control: HTMLElement;
  slot: HTMLElement;
}

/** The error slots of one form. */
export class FieldErrors {
  readonly #entries = new Map<string, Entry>();

  /** Makes the (empty) error slot for `field` and wires `control` to it; place the slot after the control. */
  slot(field: string, control: HTMLElement, slotId: string): HTMLElement {
    const slot = h('p', {
      id: slotId,
      class: 'field-error',
      'data-testid': `field-error-${field}`,
      hidden: true,
    });
    const describedBy = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', describedBy ? `${describedBy} ${slotId}` : slotId);
    this.#entries.set(field, { control, slot });
    return slot;
  }

  /** Shows `message` for `field`; false when the form has no such field (the caller shows it elsewhere). */
  show(field: string | undefined, message: string): boolean {
    const entry = field === undefined ? undefined : this.#entries.get(field);
    if (!entry) return false;
    entry.slot.textContent = message;
    entry.slot.hidden = false;
    entry.control.setAttribute('aria-invalid', 'true');
    return true;
  }

  /** Moves focus to `field`'s control (or the first control inside it, for a group). */
  focus(field: string): void {
    const control = this.#entries.get(field)?.control;
    if (!control) return;
    const target = control.matches('input, select, textarea, button')
      ? control
      : control.querySelector<HTMLElement>('input, select, textarea, button');
    target?.focus();
  }

  clear(field?: string): void {
    for (const [name, entry] of this.#entries) {
      if (field !== undefined && name !== field) continue;
      entry.slot.textContent = '';
      entry.slot.hidden = true;
      entry.control.removeAttribute('aria-invalid');
    }
  }
}
