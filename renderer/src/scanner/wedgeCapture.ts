/**
 * Puts the wedge detector on the window: a capture-phase `keydown` listener sees every key before
 * any field does. Keys the detector holds are kept from the page (preventDefault +
 * stopPropagation); a scan goes to `onScan` and never lands in a text field; held keys that turn
 * out to be typing are inserted into the element that had focus when they were pressed, as if
 * typed (an `input` event follows, so v-model sees them). A release the detector takes back (the
 * start of a burst the page was too busy to hear in time) is undone in that field.
 */
import { createWedgeDetector, type KeyClock, type WedgeSettings } from './wedgeDetector';

export interface WedgeCaptureOptions {
  settings: WedgeSettings;
  onScan: (code: string) => void;
  target?: Window;
  timers?: KeyClock;
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

/** What a release did to a field, so it can be undone while the field still shows it. */
interface Insertion {
  field: TextField;
  before: string;
  after: string;
  caret: number;
}

/** Takes an insertion back; false when the field changed since (someone typed or it was cleared). */
function undoInsertion(insertion: Insertion): boolean {
  const { field } = insertion;
  if (!field.isConnected || field.value !== insertion.after) return false;
  field.value = insertion.before;
  try {
    field.setSelectionRange(insertion.caret, insertion.caret);
  } catch {
    // Inputs without a selection API (e.g. type=number) keep no caret.
  }
  field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'historyUndo' }));
  return true;
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

export interface WedgeCapture {
  /** New thresholds; a burst in progress carries on under them. */
  configure(settings: WedgeSettings): void;
  /** Stops listening; anything held is released as typing. */
  uninstall(): void;
}

export function installWedgeCapture(options: WedgeCaptureOptions): WedgeCapture {
  const win = options.target ?? window;
  /** Where the held keys were aimed: the focused element when the first of them was pressed. */
  let aimedAt: Element | null = null;
  let holding = false;
  /** The last release: where it went and, for a text field, how to undo it. */
  let lastRelease: { target: Element | null; insertion: Insertion | null } | null = null;

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
        const field = textField(target);
        const before = field?.value ?? '';
        const caret = field?.selectionStart ?? before.length;
        const inserted = insertTyped(target, text);
        lastRelease = {
          target,
          insertion: field && inserted ? { field, before, after: field.value, caret } : null,
        };
      },
      retract: () => {
        const release = lastRelease;
        lastRelease = null;
        if (!release) return false;
        // Text that went nowhere (no field had focus) has nothing to undo.
        if (release.insertion && !undoInsertion(release.insertion)) return false;
        aimedAt = release.target;
        holding = true;
        return true;
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
  return {
    configure: (settings) => detector.configure(settings),
    uninstall() {
      win.removeEventListener('keydown', onKeyDown, true);
      win.removeEventListener('blur', onBlur);
      detector.flush();
      detector.dispose();
    },
  };
}
