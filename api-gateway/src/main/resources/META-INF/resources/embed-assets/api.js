// Calls to the gateway this page was served by (same origin: no CORS). Every call answers a plain object, never
// throws: { status, body, retryAfter }, status 0 when the network failed.

// The gateway's root, found from this module's own URL (…/embed-assets/api.js), so it also works under a prefix.
export const gatewayRoot = new URL('../', import.meta.url);

export async function call(path, { method = 'GET', body, token, headers: extra = {} } = {}) {
  const headers = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(new URL(path, gatewayRoot), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (networkError) {
    return { status: 0, body: null, retryAfter: null };
  }
  let parsed = null;
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch (notJson) {
      parsed = null;
    }
  }
  return { status: response.status, body: parsed, retryAfter: response.headers.get('Retry-After') };
}

/**
 * One sentence for the end user from any error answer: the "api" family's {"detail": "..."}, the webhooks family's
 * {"message": "..."}, or a fallback by status.
 */
export function explain(result, fallback = 'Something went wrong. Please try again.') {
  if (result.status === 0) return 'The service could not be reached. Check your connection and try again.';
  const body = result.body || {};
  if (typeof body.detail === 'string' && body.detail) return body.detail;
  if (typeof body.message === 'string' && body.message) return body.message;
  if (result.status === 429) {
    return `Too many requests. Try again in ${result.retryAfter || 'a few'} seconds.`;
  }
  if (result.status >= 500) return 'The service is unavailable right now. Please try again in a moment.';
  return fallback;
}
