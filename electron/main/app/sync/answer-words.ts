// Words for people about an answer that is not the central server's word: what the network
// did instead (no answer, a proxy's page, a redirect, a certificate that does not fit). Shown in
// Sync status after "the central server could not be reached: ".

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** Why no answer came: refused, reset, timed out, DNS, TLS, a redirect. */
export function describeNoAnswer(e: unknown): string {
  const error = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError') return 'it did not answer in time';
  if (error.name === 'AbortError') return 'the request was stopped';
  const code = error.cause?.code;
  // the pinned server key differs: its own words say what to do (pinned-tls.ts)
  if (code === 'SERVER_KEY_CHANGED') return error.cause!.message!;
  if (code === 'ECONNREFUSED') return 'the server refused the connection (is it running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its name could not be found (no network?)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'the connection was cut';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return 'the connection timed out';
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')))
    return `the secure connection failed (${error.cause?.message ?? code}); a network filter may be inspecting it`;
  if (/redirect/i.test(error.cause?.message ?? error.message ?? ''))
    return 'something on the network redirected the request (a sign-in page or a web filter?)';
  return error.cause?.message ?? error.message ?? String(e);
}

/** An answer in another shape than the server's: usually a proxy's, a captive portal's or a filter's page. */
export function describeForeignAnswer(status: number, contentType: string | null): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const what = type === 'text/html' || type === 'application/xhtml+xml' ? 'a web page' : type ? `something that is not the server's answer (${type})` : 'an empty answer';
  if (status >= 200 && status < 300) return `${what} came back instead of the server's answer (a sign-in page or a web filter?)`;
  return `a proxy answered ${status} with ${what}`;
}
