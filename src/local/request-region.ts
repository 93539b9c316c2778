/** The region a client signed its request for, read from the SigV4 credential scope. */
export function requestRegion(authorization: string | undefined, fallback = 'us-east-1'): string {
  // Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request
  const match = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(authorization ?? '');
  return match?.[1] ?? fallback;
}
