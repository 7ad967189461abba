import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Observable, from, switchMap } from 'rxjs';
import { BODY_LIMIT_BYTES } from '../http/validation';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

// body-parser's JSON parser, the one Nest's useBodyParser('json') registered (express.json is this
// function); required with its type written here, as body-parser ships none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { json } = require('body-parser') as { json(options: { limit: number }): Middleware };
const parseJson = json({ limit: BODY_LIMIT_BYTES });

/**
 * Reads the JSON body only once the guards have let the request through (issue 14, point 14).
 * Nest runs guards, then interceptors, then pipes: a request without a valid token, or whose
 * role may not call the route, is refused before one byte of its body is read or buffered.
 * The parser's refusals (malformed JSON, too large, another charset) reach the error filter as
 * they did when the parser ran as middleware.
 */
@Injectable()
export class BodyAfterAuthInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<IncomingMessage>();
    const res = http.getResponse<ServerResponse>();
    const parsed = new Promise<void>((resolve, reject) =>
      parseJson(req, res, (err) => (err === undefined || err === null ? resolve() : reject(err))),
    );
    return from(parsed).pipe(switchMap(() => next.handle()));
  }
}
