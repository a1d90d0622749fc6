/** Hash history: the hub serves one index.html at /admin/ and needs no fallback route. */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { whenSignedOut } from './api';
import { canRead, forgetSession, loadSession, session, type Screen } from './session';

const screen = (name: Screen, component: RouteRecordRaw['component']): RouteRecordRaw => ({
  path: `/${name}`,
  name,
  component: component!,
  meta: { screen: name },
});

export const SCREENS: Screen[] = [
  'brand',
  'branches',
  'staff',
  'devices',
  'channels',
  'binding',
  'templates',
  'accounts',
  'audit',
];

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/signin', name: 'signin', component: () => import('./views/SignInView.vue') },
    {
      path: '/',
      component: () => import('./views/ShellView.vue'),
      children: [
        { path: '', redirect: () => ({ name: SCREENS.find(canRead) ?? 'signin' }) },
        screen('brand', () => import('./views/BrandView.vue')),
        screen('branches', () => import('./views/BranchesView.vue')),
        screen('staff', () => import('./views/StaffView.vue')),
        screen('devices', () => import('./views/DevicesView.vue')),
        screen('channels', () => import('./views/ChannelsView.vue')),
        screen('binding', () => import('./views/BindingView.vue')),
        screen('templates', () => import('./views/TemplatesView.vue')),
        screen('accounts', () => import('./views/AccountsView.vue')),
        screen('audit', () => import('./views/AuditView.vue')),
      ],
    },
    { path: '/:rest(.*)', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (!session.checked) await loadSession();
  if (to.name === 'signin') return session.user ? '/' : true;
  if (!session.user) return { name: 'signin' };
  const wanted = to.meta.screen as Screen | undefined;
  if (wanted && !canRead(wanted)) return '/';
  return true;
});

whenSignedOut(() => {
  forgetSession();
  void router.replace({ name: 'signin' });
});
