'use strict';
// A small HTTP client for the server under test: login (with the factory first-login flow)
// and the sandbox calls the hooks use to set the world up before a transaction.

const { randomInt } = require('node:crypto');

const basic = (username, password) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

class Target {
  constructor(baseUrl) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.host = url.hostname;
    this.port = url.port || (url.protocol === 'https:' ? '443' : '80');
    this.protocol = url.protocol;
  }

  /** One request; the answer with its body as text and, when it parses, as JSON. */
  async request(method, path, { body, json, headers = {}, authorization } = {}) {
    const h = { Accept: 'application/json', ...headers };
    if (authorization) h.Authorization = authorization;
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      h['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${this.origin}${this.basePath}${path}`, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: Object.fromEntries(res.headers), text, json: parsed, method, path };
  }
}

const describe = (res) => `${res.method} ${res.path} answered ${res.status} ${res.text.slice(0, 300)}`;
const errorCode = (res) => res.json?.errors?.[0]?.code;

/**
 * Logs in with HTTP Basic, trying each candidate password; a 1024 (factory account, first
 * login) is answered by setting `newPassword`. Returns the token, the password that now
 * works, and the 1024 response when there was one.
 */
async function logIn(target, { username, passwords, newPassword }) {
  const tried = [];
  for (const password of passwords) {
    const res = await target.request('POST', '/v1/users/login', { authorization: basic(username, password) });
    if (res.status === 200) return { token: res.json.users[0].token, password, firstLogin: undefined };
    if (res.status === 400 && errorCode(res) === 1024) {
      const changed = await target.request('POST', '/v1/users/login', {
        authorization: basic(username, password),
        json: { new_password: newPassword },
      });
      if (changed.status !== 200)
        throw new Error(`first login (1024): setting the new password failed: ${describe(changed)}`);
      return { token: changed.json.users[0].token, password: newPassword, firstLogin: res };
    }
    tried.push(`${username}:${'*'.repeat(password.length)} → ${res.status} ${res.text.slice(0, 120)}`);
    if (res.status !== 401) break;
  }
  throw new Error(
    `could not log in to ${target.origin}${target.basePath} (${tried.join('; ')}); set CONTRACT_USERNAME / CONTRACT_PASSWORD or CONTRACT_TOKEN`,
  );
}

/** The hooks' view of the target once logged in: API and sandbox calls with the bearer token. */
class Session {
  constructor(target, { token, username, password }) {
    Object.assign(this, { target, token, username, password });
  }

  get bearer() {
    return `Bearer ${this.token}`;
  }

  get basic() {
    return basic(this.username, this.password);
  }

  call(method, path, options = {}) {
    return this.target.request(method, path, { authorization: this.bearer, ...options });
  }

  /** A call that must answer 200; its JSON body. */
  async ok(method, path, options) {
    const res = await this.call(method, path, options);
    if (res.status !== 200) throw new Error(`set-up call failed: ${describe(res)}`);
    return res.json;
  }

  /**
   * A WhatsApp id no earlier run can have touched (a random US number, +1 631 NXX XXXX),
   * registered in the sandbox: it has an account and its identity hash. Random, so that
   * runs against a long-lived target do not see each other's engagement or blocks.
   */
  async freshAccount() {
    const waId = `1631${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
    const body = await this.ok('PUT', `/sandbox/accounts/${waId}`);
    return { waId, phone: `+${waId}`, hash: body.account.identity.hash };
  }

  /** A registered account that wrote to the business just now (engaged for 24 hours). */
  async engagedAccount(text = 'Hello from the contract tests') {
    const account = await this.freshAccount();
    const messageId = await this.inbound(account.waId, text);
    return { ...account, messageId };
  }

  async inbound(waId, text) {
    return (await this.ok('POST', '/sandbox/inbound', { json: { from: waId, text } })).message_id;
  }

  async changeIdentity(waId) {
    return (await this.ok('POST', `/sandbox/accounts/${waId}/identity-change`)).hash;
  }

  async deleteAccount(waId) {
    await this.ok('DELETE', `/sandbox/accounts/${waId}`);
  }

  async block(phone, reason) {
    await this.ok('POST', `/v1/contacts/${encodeURIComponent(phone)}/block`, {
      json: reason === undefined ? {} : { reason },
    });
  }

  async unblock(phone) {
    await this.ok('POST', `/v1/contacts/${encodeURIComponent(phone)}/unblock`);
  }

  async settings() {
    return (await this.ok('GET', '/v1/settings/application')).settings.application;
  }

  async patchSettings(patch) {
    await this.ok('PATCH', '/v1/settings/application', { json: patch });
  }
}

module.exports = { Target, Session, logIn, basic, describe, errorCode };
