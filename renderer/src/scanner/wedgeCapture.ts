/**
 * Puts the wedge detector on the window: a capture-phase `keydown` listener sees every key before
 * any field does. Keys the detector holds are kept from the page (preventDefault +
 * stopPropagation); a scan goes to `onScan` and never lands in a text field; held keys that turn
 * out to be typing are inserted into the element that had focus when they were pressed, as if
 * typed (an `input` event follows, so v-model sees them).
 */
import { createWedgeDetector, type Timers, type WedgeSettings } from './wedgeDetector';

export interface WedgeCaptureOptions {
  settings: WedgeSettings;
  onScan: (code: string) => void;
  target?: Window;
  timers?: Timers;
}

const TEXT_INPUT_TYPES = new Set(['text', 'search', 'tel', 'url', 'email', 'password', 'number', '']);

type TextField = HTMLInputElement | HTMLTextAreaElement;

function textField(el: Element | null): TextField | null {
  if (!el) return null;
  const isInput = el.tagName === 'INPUT' && TEXT_INPUT_TYPES.has((el as HTMLInputElement).type);
  if (!isInput && el.tagName !== 'TEXTAREA') return null;
  const field = el as TextField;
  return field.disabled || field.readOnly ? null : field;
}

/** Inserts `text` where the caret is in `el`, as typing would; false when `el` takes no text. */
export function insertTyped(el: Element | null, text: string): boolean {
  const field = textField(el);
  const editable = field ?? (el instanceof HTMLElement && el.isContentEditable ? el : null);
  if (!editable || !editable.isConnected) return false;
  if (editable.ownerDocument.activeElement !== editable) editable.focus();
  // execCommand keeps the browser's undo stack and fires beforeinput/input like real typing.
  if (editable.ownerDocument.execCommand?.('insertText', false, text)) return true;
  if (!field) return false;
  try {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(text, start, end, 'end');
  } catch {
    // Inputs without a selection API (e.g. type=number) append.
    field.value += text;
  }
  field.dispatchEvent(new InputEvent('input', { bubbles: true, data: text, inputType: 'insertText' }));
  return true;
}

export function installWedgeCapture(options: WedgeCaptureOptions): () => void {
  const win = options.target ?? window;
  /** Where the held keys were aimed: the focused element when the first of them was pressed. */
  let aimedAt: Element | null = null;
  let holding = false;

  const detector = createWedgeDetector(
    options.settings,
    {
      scan: (code) => {
        aimedAt = null;
        holding = false;
        options.onScan(code);
      },
      release: (text) => {
        const target = aimedAt;
        aimedAt = null;
        holding = false;
        insertTyped(target, text);
      },
    },
    options.timers,
  );

  const onKeyDown = (event: KeyboardEvent) => {
    // An input method composing (Chinese, Japanese…) owns its keys; auto-repeat is a person.
    if (event.isComposing || event.repeat) return;
    // Space on a button or checkbox presses it; a code never starts with a space.
    if (!holding && event.key === ' ' && !textField(win.document.activeElement)) return;
    const decision = detector.key({
      key: event.key,
      time: event.timeStamp,
      ctrlKey: event.ctrlKey,
      altKey: event.altKey,
      metaKey: event.metaKey,
    });
    if (decision !== 'hold') return;
    event.preventDefault();
    event.stopPropagation();
    if (event.key.length === 1 && !holding) {
      holding = true;
      aimedAt = win.document.activeElement;
    }
  };
  // Leaving the window ends any burst: what was held is typing.
  const onBlur = () => detector.flush();

  win.addEventListener('keydown', onKeyDown, true);
  win.addEventListener('blur', onBlur);
  return () => {
    win.removeEventListener('keydown', onKeyDown, true);
    win.removeEventListener('blur', onBlur);
    detector.flush();
    detector.dispose();
  };
}
