/** What every part of the sync protocol's schemas shares. */
import { z } from 'zod';

/** A timestamp with its offset (UTC ISO 8601 as both ends write it). */
export const isoDateTime = z.iso.datetime({ offset: true });
