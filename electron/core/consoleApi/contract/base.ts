/**
 * What every area of the contract shares. Timestamps cross the boundary as ISO 8601 strings (the
 * core writes them, the renderer formats them), so they are plain strings here; naming them keeps
 * the schemas readable. Not re-exported by the contract: it is a building block, not an API shape.
 */
import { z } from 'zod';

export const isoDateTime = z.string();
