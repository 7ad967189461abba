import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Node answers a request it cannot parse (a raw non-ASCII byte in the URL, a malformed header or
 * chunk, headers too large) itself, with an empty 400 or 431, before any of our code runs. Every
 * error of the API has the JSON shape `{error, message}`, so these get it too.
 */
export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    // As Node's own handler: a peer that reset the connection, or a socket an answer was already
    // written to, is only closed.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
      socket.destroy();
      return;
    }
    const [status, error, message] = clientErrorAnswer(err);
    const body = JSON.stringify({ error, message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}

function clientErrorAnswer(err: NodeJS.ErrnoException): [number, string, string] {
  if (err.code === 'HPE_HEADER_OVERFLOW')
    return [431, 'headers-too-large', 'the request headers are larger than the server reads'];
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'request-timeout', 'the request did not arrive in time'];
  return [
    400,
    'invalid-request',
    `the request is not valid HTTP/1.1 (${err.code ?? 'unparsable'}); a URL holds ASCII only: percent-encode any other character`,
  ];
}
