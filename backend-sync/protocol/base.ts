/** What every part of the sync protocol's schemas shares. */
import { z } from 'zod';

/** A timestamp with its offset (UTC ISO 8601 as both ends write it). */
export const isoDateTime = z.iso.datetime({ offset: true });

/**
 * An id as the wire carries it: printable ASCII, no spaces, 1 to 100 characters (uuid v7 at the
 * hub; fixtures use readable ones). Controls and NUL never reach a query: PostgreSQL refuses NUL.
 */
export const WireId = z.string().regex(/^[\x21-\x7e]{1,100}$/, 'printable ASCII, 1 to 100 characters');

/** Text a person typed (a name): no control characters or NUL, which a column should not hold. */
export const printableText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');
