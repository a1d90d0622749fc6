/** conflict.resolve: filled in by the till issue; answered NOT_IMPLEMENTED until then. */
import { rejected, type Applier } from './types';

export const applyConflictResolve: Applier<'conflict.resolve'> = async () =>
  rejected('NOT_IMPLEMENTED', 'Resolving conflicts is not available on this hub yet.');
