import type { Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { expectData } from '../result.js';
import type { LoginUser } from '../schemas.js';
import { basicAuthorization } from './basic.js';

export const LOGIN_PATH = '/v1/users/login';
export const LOGOUT_PATH = '/v1/users/logout';

export interface Credentials {
  username: string;
  password: string;
  /** Sets a new password at this login; required at the first login of the factory account (1024 otherwise). */
  newPassword?: string;
}

export interface Session {
  /** The token to send: waits for a login in flight, or starts one when only credentials are known. */
  token(): Promise<string | undefined>;
  /** Logs in with the given credentials, or the known ones. Concurrent callers share one login. */
  login(credentials?: Credentials): Promise<LoginUser>;
  /** A new token after `stale` was refused; a login another caller already made is reused. */
  refresh(stale: string | undefined): Promise<string>;
  /** The token held now (after a login in flight), never starting a login. */
  current(): Promise<string | undefined>;
  /** Drops `revoked` if it is still the token held: the next request logs in again, or goes without. */
  forget(revoked: string): void;
  /** Whether a refused token can be replaced by logging in again. */
  readonly canLogin: boolean;
}

export function createSession(
  api: Client<paths>,
  initial: { token?: string | undefined; credentials?: Credentials | undefined },
): Session {
  let token = initial.token;
  let credentials = initial.credentials;
  let inFlight: Promise<LoginUser> | undefined;

  async function logIn({ username, password, newPassword }: Credentials): Promise<LoginUser> {
    const user = await expectData(
      api.POST(LOGIN_PATH, {
        headers: { Authorization: basicAuthorization(username, password) },
        ...(newPassword === undefined ? {} : { body: { new_password: newPassword } }),
      }),
      (data) => data.users[0],
    );
    token = user.token;
    // The server now only knows the new password: a later re-login must use it, and must not try to change it again.
    credentials = { username, password: newPassword ?? password };
    return user;
  }

  function login(next = credentials): Promise<LoginUser> {
    if (inFlight && next === credentials) return inFlight;
    if (!next)
      return Promise.reject(
        new Error('login() needs credentials: pass them here or to the factory that made the client'),
      );
    const attempt = logIn(next).finally(() => {
      if (inFlight === attempt) inFlight = undefined;
    });
    inFlight = attempt;
    return attempt;
  }

  return {
    async token() {
      if (inFlight) return (await inFlight).token;
      if (token === undefined && credentials) return (await login()).token;
      return token;
    },
    login,
    async refresh(stale) {
      if (inFlight) return (await inFlight).token;
      if (token !== undefined && token !== stale) return token;
      return (await login()).token;
    },
    async current() {
      if (inFlight) return (await inFlight).token;
      return token;
    },
    forget(revoked) {
      if (token === revoked) token = undefined;
    },
    get canLogin() {
      return credentials !== undefined;
    },
  };
}
