/** AWS JSON 1.1 responses: results as JSON with epoch-second timestamps, errors as `__type` + message. */
import { randomUUID } from 'node:crypto';
import type { LocalResponse } from './http-types.js';
import { toWire } from './wire.js';

/** A successful JSON 1.1 answer. */
export function jsonResult(result: unknown, contentType = 'application/x-amz-json-1.1'): LocalResponse {
  return {
    status: 200,
    headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(toWire(result ?? {})),
  };
}

/** An error answer the SDKs parse into an exception named `type` (header and body both carry it). */
export function jsonError(type: string, message: string, status: number, contentType = 'application/x-amz-json-1.1'): LocalResponse {
  return {
    status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify({ __type: type, message }),
  };
}
