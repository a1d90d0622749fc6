/**
 * Hash-history routes (the same build works from a custom protocol in Electron and over http).
 * The guard sends people where they belong: enroll first, then sign in, then the shell.
 */
import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router';
import { useAppStore } from './stores/app';
import { useEnrollmentStore } from './stores/enrollment';
import { useSessionStore } from './stores/session';
import { useSyncStore } from './stores/sync';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/enroll', name: 'enroll', component: () => import('./views/EnrollmentView.vue') },
    { path: '/signin', name: 'signin', component: () => import('./views/SignInView.vue') },
    {
      path: '/',
      component: () => import('./views/ShellView.vue'),
      meta: { requiresStaff: true },
      children: [
        { path: '', redirect: { name: 'till' } },
        { path: 'till', name: 'till', component: () => import('./views/TillView.vue') },
        { path: 'customers', name: 'customers', component: () => import('./views/CustomersView.vue') },
        { path: 'my-qr', name: 'my-qr', component: () => import('./views/MyQrView.vue') },
        { path: 'history', name: 'history', component: () => import('./views/HistoryView.vue') },
        { path: 'attention', name: 'attention', component: () => import('./views/AttentionView.vue') },
        { path: 'settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

/** Where a navigation should go instead, or `true` to let it through. */
export function destinationFor(
  to: Pick<RouteLocationNormalized, 'meta' | 'matched'> & { name?: RouteLocationNormalized['name'] | null },
): true | { name: string } {
  const enrolled = useEnrollmentStore().info?.enrolled ?? false;
  const status = useSyncStore().status;
  const staff = useSessionStore().staff;
  const firstSyncPending = status !== null && status.firstSync !== null;

  if (!enrolled) return to.name === 'enroll' ? true : { name: 'enroll' };
  if (to.name === 'enroll') return firstSyncPending ? true : { name: staff ? 'till' : 'signin' };
  if (firstSyncPending && !staff) return { name: 'enroll' };
  if (to.meta.requiresStaff || to.matched.some((r) => r.meta.requiresStaff)) {
    return staff ? true : { name: 'signin' };
  }
  if (to.name === 'signin' && staff) return { name: 'till' };
  return true;
}

router.beforeEach(async (to) => {
  await useAppStore().ready();
  return destinationFor(to);
});
