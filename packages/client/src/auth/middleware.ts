import type { Middleware } from 'openapi-fetch';
import { LOGIN_PATH, LOGOUT_PATH, type Session } from './session.js';

const BEARER = 'Bearer ';

function bearerOf(request: Request): string | undefined {
  const value = request.headers.get('Authorization');
  return value?.startsWith(BEARER) ? value.slice(BEARER.length) : undefined;
}

/**
 * Sends `Authorization: Bearer <token>` on every request but the login, logging in first
 * when only credentials are known, and answers a 401 by logging in again and re-sending the
 * request once. The login itself is never retried: its 401 means wrong credentials; nor is
 * the logout.
 */
export function authMiddleware(session: Session): Middleware {
  // fetch() consumes the body, so a copy is taken before sending for the possible re-send.
  const copies = new WeakMap<Request, Request>();

  return {
    async onRequest({ request, schemaPath }) {
      // The logout sends its own token: logging in to log out, or re-sending it, would make no sense.
      if (schemaPath === LOGIN_PATH || schemaPath === LOGOUT_PATH) return;
      const token = await session.token();
      if (token !== undefined) request.headers.set('Authorization', `${BEARER}${token}`);
      if (session.canLogin) copies.set(request, request.clone());
    },

    async onResponse({ request, response, options }) {
      const copy = copies.get(request);
      copies.delete(request);
      if (response.status !== 401 || !copy) return;
      // The refused answer is dropped unread: cancel it so its connection is freed.
      response.body?.cancel().catch(() => undefined);
      const token = await session.refresh(bearerOf(request));
      copy.headers.set('Authorization', `${BEARER}${token}`);
      // Plain call, not a method call: browsers refuse a fetch bound to another object.
      const { fetch } = options;
      // Whatever comes back is final, a second 401 included.
      return fetch(copy);
    },
  };
}
