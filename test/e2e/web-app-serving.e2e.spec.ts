/**
 * The built pages are served at their own paths only (src/web/web-app.ts): `/` and `/index.html`
 * (checked again on every load), and the hashed assets under /assets/ (kept a year). Any other
 * path is the API's: no file is looked for in front of it.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    dir = mkdtempSync(join(tmpdir(), 'web-app-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!DOCTYPE html><title>页面</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), ASSET);
    // A file where an API route is: a static handler in front of the routes would serve it.
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'ping'), 'a file, not the API');
    app = await NestFactory.create<NestExpressApplication>(PingModule, { logger: false });
    serveWebApp(app, dir);
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
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
