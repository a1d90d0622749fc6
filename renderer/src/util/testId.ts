/**
 * Attributes for the <input> naive-ui renders inside NInput (passed as `input-props`) with the
 * `data-testid` the e2e tests find it by — on the input itself, so a test can fill it. Vue's
 * attribute types do not list data-* keys, so the object is widened here once.
 */
import type { InputHTMLAttributes } from 'vue';

export function inputWithTestId(testid: string, attrs: InputHTMLAttributes = {}): InputHTMLAttributes {
  return { ...attrs, 'data-testid': testid } as InputHTMLAttributes;
}
