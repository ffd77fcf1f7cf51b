// The end user's sign-in: an access token from POST /auth/token (exchanged for their API key, which is never
// stored), kept in sessionStorage so it lives as long as this tab and is gone when it closes.

import { call, explain } from './api.js';

const TOKEN_KEY = 'tollgate.embed.token';
const CHAT_SESSION_KEY = 'tollgate.embed.chat-session';

// Some browsers refuse storage to framed third-party pages; then the sign-in lasts as long as the page does.
const memory = new Map();
const storage = {
  get(key) {
    try {
      return window.sessionStorage.getItem(key);
    } catch (refused) {
      return memory.get(key) ?? null;
    }
  },
  set(key, value) {
    try {
      window.sessionStorage.setItem(key, value);
    } catch (refused) {
      memory.set(key, value);
    }
  },
  remove(key) {
    try {
      window.sessionStorage.removeItem(key);
    } catch (refused) {
      // only the in-memory copy exists
    }
    memory.delete(key);
  },
};

/** The stored access token while it is valid for at least ten more seconds, else null. */
export function currentToken() {
  const raw = storage.get(TOKEN_KEY);
  if (!raw) return null;
  try {
    const { token, expiresAt } = JSON.parse(raw);
    if (typeof token === 'string' && Date.now() < expiresAt - 10_000) return token;
  } catch (corrupt) {
    // fall through: treat as signed out
  }
  storage.remove(TOKEN_KEY);
  return null;
}

/** Exchanges an API key for an access token. Answers { ok: true } or { ok: false, message }. */
export async function signIn(apiKey) {
  const result = await call('auth/token', { method: 'POST', body: { api_key: apiKey } });
  if (result.status === 200 && result.body && typeof result.body.access_token === 'string') {
    const lifetime = Number(result.body.expires_in) > 0 ? Number(result.body.expires_in) : 3600;
    storage.set(TOKEN_KEY, JSON.stringify({ token: result.body.access_token, expiresAt: Date.now() + lifetime * 1000 }));
    return { ok: true };
  }
  if (result.status === 401 || result.status === 403 || result.status === 422) {
    return { ok: false, message: 'That API key was not accepted. Check it and try again.' };
  }
  return { ok: false, message: explain(result) };
}

/** Forgets the token and starts the next chat afresh. */
export function signOut() {
  storage.remove(TOKEN_KEY);
  storage.remove(CHAT_SESSION_KEY);
}

/** Who the token speaks for ({ user_id, budget_id, ... }), or null with the failed result. */
export async function whoAmI(token) {
  const result = await call('auth/me', { token });
  return result.status === 200 ? { me: result.body, result } : { me: null, result };
}

/** One id per chat (per tab), sent with every run so the workflow can keep the conversation together. */
export function chatSessionId() {
  let id = storage.get(CHAT_SESSION_KEY);
  if (!id) {
    id = uuid();
    storage.set(CHAT_SESSION_KEY, id);
  }
  return id;
}

/** A random UUID (v4). crypto.randomUUID exists only in secure contexts; a gateway may be served over plain http. */
export function uuid() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function' && window.isSecureContext) {
    return window.crypto.randomUUID();
  }
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
