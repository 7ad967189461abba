import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '../shared/domain/domain-error';
import { NOTICE_STYLESHEET, NOTICE_STYLESHEET_PATH, escapeHtml, noticePage, notFoundPage } from './notice-page';
import { PublicNoticeQueries } from './public-notice.queries';
import { PublicReadLimit, PublicRequest } from './public-read-limit';

const NOTICE_PAGE = /^\/gongshi\/([^/?#]+)$/;

/**
 * GET /gongshi/:projectId, the printable public notice, and its stylesheet. Pages, not API
 * routes: served ahead of the controllers, so that they answer HTML (a 404 page for an unknown
 * project) rather than the API's JSON errors, and stay out of the OpenAPI document. No token, as
 * the notice's API. The service's security headers and Cache-Control are set before this runs.
 */
@Injectable()
export class PublicNoticePages implements NestMiddleware {
  constructor(
    private readonly queries: PublicNoticeQueries,
    private readonly limit: PublicReadLimit,
  ) {}

  async use(
    req: IncomingMessage & PublicRequest & { originalUrl?: string },
    res: ServerResponse,
    next: (err?: unknown) => void,
  ) {
    const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
    if (path === NOTICE_STYLESHEET_PATH) return answer(res, 200, 'text/css', NOTICE_STYLESHEET);
    const match = NOTICE_PAGE.exec(path);
    const projectId = match && decoded(match[1]);
    if (!projectId) return next();
    try {
      const notice = await this.limit.run(req, () => this.queries.notice(projectId));
      answer(res, 200, 'text/html', noticePage(notice));
    } catch (err) {
      if (!(err instanceof DomainError)) return next(err);
      if (err.code === 'project-not-found') return answer(res, 404, 'text/html', notFoundPage(projectId));
      answer(res, err.status, 'text/html', errorPage(err));
    }
  }
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.end(body);
}

function errorPage(err: DomainError): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>暂时无法显示公示</title></head><body><h1>暂时无法显示公示</h1><p>${escapeHtml(err.code)}：${escapeHtml(err.message)}</p></body></html>\n`;
}
