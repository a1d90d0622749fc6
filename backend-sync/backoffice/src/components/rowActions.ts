/**
 * A table row's action buttons as a small list, so a screen adds one (say, re-enroll a device)
 * by adding an entry: label, what it does, and optionally a colour, a test id and when it shows.
 */
import { NButton, NSpace } from 'naive-ui';
import { h, type VNode } from 'vue';

export interface RowAction {
  label: string;
  run: () => unknown;
  type?: 'default' | 'primary' | 'warning' | 'error';
  testid?: string;
  /** false hides it for this row (e.g. revoke on a revoked device). */
  show?: boolean;
}

export function rowActions(actions: readonly RowAction[]): VNode {
  return h(NSpace, { size: 'small' }, () =>
    actions
      .filter((a) => a.show !== false)
      .map((a) =>
        h(
          NButton,
          { size: 'small', type: a.type ?? 'default', 'data-testid': a.testid, onClick: () => void a.run() },
          () => a.label,
        ),
      ),
  );
}
