import { z } from 'zod';
import { AdminUserView } from '../../accounts/users';
import { BrandView } from '../../services/schemas';

/** What sign-in and GET /session answer: the person, their brand, the CSRF token for writes. */
export const SessionView = z.object({
  user: AdminUserView,
  brand: BrandView,
  csrfToken: z.string().meta({ description: 'Send as x-csrf-token on every write' }),
});
