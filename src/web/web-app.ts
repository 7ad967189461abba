import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

/**
 * The web pages (issue 19): the SPA that `npm run build` builds from web/ into dist/web, served at
 * `/` by the service itself (no other server, no CDN). Found from this file's place in the package
 * (src/web when run by the tests, dist/src/web when built), by walking up to package.json.
 */
export function webAssetsDir(from: string = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const built = join(dir, 'dist', 'web');
      return existsSync(join(built, 'index.html')) ? built : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Serves the built pages: `index.html` is checked again on every load (it names the assets of the
 * build in force; no-cache, with an ETag and Last-Modified so that an unchanged one is a 304), the
 * assets under /assets/ are named by their content's hash and kept a year (immutable).
 * Where the pages were not built, `/` says how to build them instead of the API's 404.
 */
export function serveWebApp(app: NestExpressApplication, dir: string | null = webAssetsDir()): void {
  if (!dir) {
    app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/') return next();
      res.statusCode = 503;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面未构建</title></head><body><h1>网页尚未构建</h1><p>The web pages are not built: run <code>npm run build</code> (or <code>npm run demo</code>), then reload. The API is at <a href="/docs">/docs</a>.</p></body></html>\n',
      );
    });
    return;
  }
  // The pages' files go out compressed (brotli or gzip) (the first load is a few hundred KB less); the API's
  // answers are left alone, and the live stream must never be buffered by a compressor.
  // originalUrl: by the time the answer is written, the /assets mount has cut its prefix off req.url.
  app.use(compression({ filter: (req) => isWebAsset(req.originalUrl ?? req.url ?? '') }));
  // Only the pages' own paths reach the files: a static handler in front of every route would look
  // for a file for each API request (a stat in libuv's thread pool on every GET, the health check's
  // included: its p99 in bench (g) was about twice as long with the pages built).
  app.useStaticAssets(join(dir, 'assets'), {
    prefix: '/assets',
    index: false,
    redirect: false,
    setHeaders: (res) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.path !== '/' && req.path !== '/index.html'))
      return next();
    // Read again on every load (it names the assets of the build in force), but answered 304 when
    // the browser's copy is this file still (its ETag and Last-Modified, from the file's size and time).
    // From `dir` as root: send refuses a path with a dot folder in it (~/.local, ~/.npm) unless below its root.
    res.sendFile('index.html', { root: dir, headers: { 'Cache-Control': 'no-cache' } });
  });
}

/** `/`, `/index.html` and the built assets: what the static handler serves. */
function isWebAsset(url: string): boolean {
  const path = url.split('?')[0];
  return path === '/' || path === '/index.html' || path.startsWith('/assets/');
}
