import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowPermission,
  allowRedirect,
  decideNavigation,
  decideWindowOpen,
  isAllowedExternalUrl,
  isAppUrl,
  isTrustedSender,
  mimeTypeFor,
  resolveRendererFile,
} from './policy';

describe('isAppUrl', () => {
  it('accepts pages of the console origin only', () => {
    expect(isAppUrl('app://console/index.html')).toBe(true);
    expect(isAppUrl('app://console/till?x=1')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('https://console/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  const brand = ['https://chat.line.biz', 'https://wa.me'];

  it("opens the brand's configured conversation origins over https", () => {
    expect(isAllowedExternalUrl('https://chat.line.biz/1/chat/U1', brand)).toBe(true);
    expect(isAllowedExternalUrl('https://wa.me/886912345678', brand)).toBe(true);
  });

  it('opens nothing the brand did not configure, not even LINE or WhatsApp', () => {
    expect(isAllowedExternalUrl('https://line.me/R/ti/p/@omo', brand)).toBe(false);
    expect(isAllowedExternalUrl('https://wa.me/886912345678', [])).toBe(false);
    expect(isAllowedExternalUrl('https://example.com/', brand)).toBe(false);
  });

  it('refuses look-alike hosts, other schemes and credentials', () => {
    expect(isAllowedExternalUrl('http://chat.line.biz/1', brand)).toBe(false);
    expect(isAllowedExternalUrl('https://wa.me.evil.example/', brand)).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/?https://wa.me', brand)).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@wa.me/1', brand)).toBe(false);
    expect(isAllowedExternalUrl('https://wa.me:8443/1', brand)).toBe(false);
    expect(isAllowedExternalUrl('file:///C:/Windows/system32/calc.exe', brand)).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)', brand)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it("trusts only our page's top frame", () => {
    expect(isTrustedSender({ url: 'app://console/index.html', isTopFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://console/index.html', isTopFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isTopFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', isTopFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('navigation and new windows', () => {
  const brand = ['https://wa.me'];

  it('lets the page move between its own routes only', () => {
    expect(decideNavigation('app://console/till', brand)).toEqual({ allow: true, openExternal: false });
    expect(decideNavigation('https://evil.example/', brand)).toEqual({ allow: false, openExternal: false });
  });

  it('hands an allow-listed link to the browser instead of navigating to it', () => {
    expect(decideNavigation('https://wa.me/8521', brand)).toEqual({ allow: false, openExternal: true });
    expect(decideWindowOpen('https://wa.me/8521', brand)).toEqual({ allow: false, openExternal: true });
  });

  it('never opens a new window, even for our own pages', () => {
    expect(decideWindowOpen('app://console/index.html', brand).allow).toBe(false);
    expect(decideWindowOpen('https://example.com/', brand)).toEqual({ allow: false, openExternal: false });
  });

  it('keeps redirects inside the app and grants only clipboard writes', () => {
    expect(allowRedirect('app://console/index.html')).toBe(true);
    expect(allowRedirect('https://wa.me/1')).toBe(false);
    expect(allowPermission('clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(allowPermission(p), p).toBe(false);
    }
  });
});

describe('resolveRendererFile', () => {
  const root = path.resolve('/srv/out/renderer');

  it('maps assets inside the renderer folder', () => {
    expect(resolveRendererFile(root, 'app://console/assets/index-abc.js')).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
    expect(resolveRendererFile(root, 'app://console/')).toBe(path.join(root, 'index.html'));
  });

  it('serves index.html for app routes without an extension', () => {
    expect(resolveRendererFile(root, 'app://console/till')).toBe(path.join(root, 'index.html'));
  });

  it('never resolves outside the folder, however the path is encoded', () => {
    const attempts = [
      'app://console/../../etc/passwd.txt',
      'app://console/%2e%2e/%2e%2e/etc/passwd.txt',
      'app://console/..%2f..%2fsecret.txt',
      'app://console/a%5c..%5c..%5csecret.txt',
      'app://console/%00.js',
    ];
    for (const url of attempts) {
      const file = resolveRendererFile(root, url);
      if (file !== null) expect(file.startsWith(root + path.sep), `${url} → ${file}`).toBe(true);
    }
    expect(resolveRendererFile(root, 'app://console/..%2f..%2fsecret.txt')).toBeNull();
  });

  it('refuses other origins', () => {
    expect(resolveRendererFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveRendererFile(root, 'file:///srv/out/renderer/index.html')).toBeNull();
  });
});

describe('mimeTypeFor', () => {
  it('gives scripts a JavaScript type (module scripts require one)', () => {
    expect(mimeTypeFor('/x/index.js')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('/x/index.HTML')).toMatch(/^text\/html/);
    expect(mimeTypeFor('/x/blob.bin')).toBe('application/octet-stream');
  });
});
