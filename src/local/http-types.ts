/** The request and response shapes every protocol handler of the local backend works with. */
import type { IncomingHttpHeaders } from 'node:http';

export interface LocalRequest {
  method: string;
  /** Path and query, decoded by WHATWG URL rules (the path itself is left percent-encoded). */
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The region the client signed for; ARNs are minted in it. */
  region: string;
}

export interface LocalResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** A header's single value (the first one when repeated). */
export function header(request: LocalRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
