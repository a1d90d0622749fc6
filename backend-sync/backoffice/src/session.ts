/**
 * Who is signed in (the hub's GET /session), shared by every screen. What a role may do mirrors
 * the admin API's x-roles, so the screens hide only what the hub would refuse anyway.
 */
import { reactive } from 'vue';
import { api, setCsrfToken } from './api';
import type { AdminRole, Brand, User } from './types';

interface SessionAnswer {
  user: User;
  brand: Brand;
  csrfToken: string;
}

export const session = reactive<{ user: User | null; brand: Brand | null; checked: boolean }>({
  user: null,
  brand: null,
  checked: false,
});

function adopt(answer: SessionAnswer | null): void {
  session.user = answer?.user ?? null;
  session.brand = answer?.brand ?? null;
  setCsrfToken(answer?.csrfToken ?? '');
  session.checked = true;
}

export async function loadSession(): Promise<void> {
  try {
    adopt(await api<SessionAnswer>('GET', '/session'));
  } catch {
    adopt(null);
  }
}

export async function signIn(email: string, password: string): Promise<void> {
  adopt(await api<SessionAnswer>('POST', '/session', { email, password }));
}

export async function signOut(): Promise<void> {
  await api('DELETE', '/session').catch(() => undefined);
  adopt(null);
}

export const forgetSession = (): void => adopt(null);

export function setBrand(brand: Brand): void {
  session.brand = brand;
}

const MANAGERS: AdminRole[] = ['admin', 'supervisor'];
const HEAD_OFFICE: AdminRole[] = ['admin', 'supervisor', 'cs_manager', 'cs_agent'];

/** Screens and the roles that may open them (reading) or change things on them (writing). */
export const ACCESS = {
  brand: { read: [...HEAD_OFFICE, 'sales_manager'], write: MANAGERS },
  branches: { read: [...HEAD_OFFICE, 'sales_manager'], write: MANAGERS },
  staff: { read: [...HEAD_OFFICE, 'sales_manager'], write: MANAGERS },
  devices: { read: ['admin', 'supervisor', 'sales_manager'], write: ['admin'] },
  channels: { read: HEAD_OFFICE, write: ['admin'] },
  binding: { read: HEAD_OFFICE, write: MANAGERS },
  templates: { read: HEAD_OFFICE, write: ['admin'] },
  accounts: { read: ['admin'], write: ['admin'] },
  audit: { read: MANAGERS, write: [] },
} satisfies Record<string, { read: AdminRole[]; write: AdminRole[] }>;
export type Screen = keyof typeof ACCESS;

export const canRead = (screen: Screen): boolean =>
  !!session.user && (ACCESS[screen].read as AdminRole[]).includes(session.user.role);
export const canWrite = (screen: Screen): boolean =>
  !!session.user && (ACCESS[screen].write as AdminRole[]).includes(session.user.role);
export const brandId = (): string => session.brand?.id ?? '';
