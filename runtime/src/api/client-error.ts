/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before Fastify sees a request
 * (headers over the server's limit, a request that is not HTTP, one too slow to arrive). The
 * answer is written on the raw socket, as Fastify's default does, but in the API's error shape,
 * and the connection is closed: after a parse error nothing more can be read from it.
 */
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ApiErrorBody } from './api-error.js';

/** The error Node's `clientError` event carries (Fastify's `ConnectionError`, narrowed to what is read here). */
interface ClientError extends Error {
  readonly code?: string;
}

function answerFor(error: ClientError): { status: number; body: ApiErrorBody } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, body: { error: 'headers_too_large', message: `the request's URL and headers are larger than the limit of ${maxHeaderSize} bytes` } };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, body: { error: 'request_timeout', message: 'the request did not arrive in time' } };
    default:
      return { status: 400, body: { error: 'invalid_request', message: 'the request is not valid HTTP' } };
  }
}

export function handleClientError(this: FastifyInstance, error: ClientError, socket: Socket): void {
  // A reset connection has gone: there is no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Client mistakes and network noise, not Herald's problems: trace only, as Fastify does.
  this.log.trace({ err: error }, 'client error');
  if (socket.writable) {
    const { status, body } = answerFor(error);
    const json = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
