/**
 * The built pages are served at their own paths only (src/web/web-app.ts): `/` and `/index.html`
 * (checked again on every load: no-cache with an ETag and Last-Modified, an unchanged page a 304,
 * a new release's page at once), and the hashed assets under /assets/ (kept a year, immutable),
 * all with the service's security headers. Any other path is the API's: no file is looked for in front of it.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noStore, securityHeaders } from '../../src/ops/http-hygiene';
import { serveWebApp } from '../../src/web/web-app';

@Controller('api')
class PingController {
  @Get('ping')
  ping() {
    return { from: 'api' };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

/** Over the compressor's threshold (1 KB). */
const ASSET = `console.log(${JSON.stringify('页面'.repeat(1000))});`;

describe('the built pages, served beside the API', () => {
  let dir: string;
  let app: NestExpressApplication;
  let base: string;
  beforeAll(async () => {
    // Installed under a dot folder, as in ~/.local or ~/.npm: the pages are served all the same.
    dir = join(mkdtempSync(join(tmpdir(), 'web-app-')), '.local', 'dist');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!DOCTYPE html><title>页面</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), ASSET);
    // A file where an API route is: a static handler in front of the routes would serve it.
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'ping'), 'a file, not the API');
    app = await NestFactory.create<NestExpressApplication>(PingModule, { logger: false });
    // As createApp (bootstrap.ts) puts them in front of the pages.
    app.use(securityHeaders);
    app.use(noStore);
    serveWebApp(app, dir);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(join(dir, '..', '..'), { recursive: true, force: true });
  });

  it('serves index.html at / and /index.html, to be checked again on every load', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await fetch(base + path);
      expect([path, res.status, res.headers.get('cache-control'), await res.text()]).toEqual([
        path,
        200,
        'no-cache',
        '<!DOCTYPE html><title>页面</title>',
      ]);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('answers an unchanged index.html 304 to the browser’s copy (ETag or Last-Modified), and a new release’s at once', async () => {
    const first = await fetch(`${base}/`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect([etag, lastModified].map(Boolean)).toEqual([true, true]);
    await first.text();
    // As a browser revalidates its copy (a reload: max-age=0); without a Cache-Control of its own,
    // fetch sends `no-cache` with conditional headers, which asks for the whole answer.
    const revalidate = { 'cache-control': 'max-age=0' };
    const conditionals: Record<string, string>[] = [{ 'if-none-match': etag }, { 'if-modified-since': lastModified }];
    for (const path of ['/', '/index.html']) {
      for (const conditional of conditionals) {
        const res = await fetch(base + path, { headers: { ...revalidate, ...conditional } });
        expect([path, conditional, res.status, res.headers.get('cache-control'), await res.text()]).toEqual([
          path,
          conditional,
          304,
          'no-cache',
          '',
        ]);
        expectSecurityHeaders(res);
      }
    }
    // A new release: the page naming its assets changes, and the browser's copy is stale.
    const release = '<!DOCTYPE html><title>新版本</title>';
    writeFileSync(join(dir, 'index.html'), release);
    utimesSync(join(dir, 'index.html'), new Date(), new Date(Date.parse(lastModified) + 60_000));
    const res = await fetch(`${base}/`, {
      headers: { ...revalidate, 'if-none-match': etag, 'if-modified-since': lastModified },
    });
    expect([res.status, await res.text()]).toEqual([200, release]);
    expect(res.headers.get('etag')).not.toBe(etag);
  });

  it('sends the security headers with the pages and the assets', async () => {
    for (const path of ['/', '/index.html', '/assets/index-abc123.js']) {
      const res = await fetch(base + path);
      expect([path, res.status]).toEqual([path, 200]);
      expectSecurityHeaders(res);
    }
  });

  it('serves the hashed assets under /assets/, compressed, kept a year', async () => {
    const res = await fetch(`${base}/assets/index-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect([
      res.status,
      res.headers.get('cache-control'),
      res.headers.get('content-encoding'),
      await res.text(),
    ]).toEqual([200, 'public, max-age=31536000, immutable', 'gzip', ASSET]);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('leaves every other path to the API: no file is looked for there', async () => {
    const res = await fetch(`${base}/api/ping`);
    expect([res.status, await res.json()]).toEqual([200, { from: 'api' }]);
  });
});

function expectSecurityHeaders(res: Response): void {
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
}
