import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAppUrl, mimeTypeFor, resolveRendererFile } from './policy';

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
  it('opens LINE and WhatsApp links over https', () => {
    expect(isAllowedExternalUrl('https://line.me/R/ti/p/@omo')).toBe(true);
    expect(isAllowedExternalUrl('https://wa.me/886912345678')).toBe(true);
  });

  it('refuses look-alike hosts, other schemes and credentials', () => {
    expect(isAllowedExternalUrl('http://line.me/R/ti/p/@omo')).toBe(false);
    expect(isAllowedExternalUrl('https://line.me.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/?https://wa.me')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@wa.me/1')).toBe(false);
    // The brand's conversation links, only when the brand configured them.
    expect(isAllowedExternalUrl('https://chat.line.biz/1/chat/U1')).toBe(false);
    expect(isAllowedExternalUrl('https://chat.line.biz/1/chat/U1', ['https://chat.line.biz'])).toBe(true);
    expect(isAllowedExternalUrl('http://chat.line.biz/1', ['https://chat.line.biz'])).toBe(false);
    expect(isAllowedExternalUrl('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
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
