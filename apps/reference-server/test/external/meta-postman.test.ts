import { expect, it } from 'vitest';
import { NEW_PASSWORD, START_TIMEOUT } from '../support/harness.js';
import {
  RECIPIENT,
  basic,
  describeExternal,
  eachFactoryServer,
  fill,
  outcome,
  printTable,
  readExternal,
  send,
  tokenOf,
  type Row,
} from './third-party.js';

interface PostmanRequest {
  method: string;
  header: Array<{ key: string; value: string }>;
  body?: { mode: string; raw?: string };
  url: { raw: string };
}
interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: PostmanRequest;
}

/** The folders of the collection on this node's surface (users, application settings, contacts). */
const FOLDERS = ['00-Users', '01-Settings/Application', '03-Contacts'];

function requestsOf(collection: { item: PostmanItem[] }): Array<{ name: string; request: PostmanRequest }> {
  const out: Array<{ name: string; request: PostmanRequest }> = [];
  const walk = (items: PostmanItem[], folder: string) => {
    for (const item of items) {
      const path = folder ? `${folder}/${item.name}` : item.name;
      if (item.item) walk(item.item, path);
      else if (item.request && FOLDERS.includes(folder)) out.push({ name: path, request: item.request });
    }
  };
  walk(collection.item, '');
  return out;
}

/**
 * The order of the run: the collection's, except that Login-Admin (the factory account's first
 * login, which sets the password) comes before Login-User, and Logout-User (which revokes the
 * AdminAuthToken every other request sends) comes last.
 */
function runOrder<T extends { name: string }>(requests: T[]): T[] {
  const rank = (name: string) => (name === '00-Users/Login-Admin' ? -1 : name === '00-Users/Logout-User' ? 1 : 0);
  return [...requests].sort((a, b) => rank(a.name) - rank(b.name));
}

/**
 * What each request answers when sent as Meta wrote it: 2xx for every request this node serves
 * (the documented behaviour); 404/1006 for the others (user management, shards, media
 * providers: other nodes of the On-Premises client).
 */
const EXPECTED: Row[] = [
  ['00-Users/Login-Admin', 'POST', '/v1/users/login', '200 users'],
  ['00-Users/Login-User', 'POST', '/v1/users/login', '200 users'],
  ['00-Users/Create-User', 'POST', '/v1/users', '404 1006'],
  ['00-Users/Get-Admin', 'GET', '/v1/users/admin', '404 1006'],
  ['00-Users/Get-User', 'GET', '/v1/users/admin', '404 1006'],
  ['00-Users/Update-User', 'PUT', '/v1/users/admin', '404 1006'],
  ['00-Users/Delete-User', 'DELETE', '/v1/users/admin', '404 1006'],
  ['01-Settings/Application/Get-Settings', 'GET', '/v1/settings/application', '200 settings'],
  ['01-Settings/Application/Set-Shards', 'POST', '/v1/account/shards', '404 1006'],
  ['01-Settings/Application/Update-Webhooks', 'PATCH', '/v1/settings/application', '200'],
  ['01-Settings/Application/Delete-Webhooks', 'PATCH', '/v1/settings/application', '200'],
  ['01-Settings/Application/Update-Settings', 'PATCH', '/v1/settings/application', '200'],
  ['01-Settings/Application/Delete-App-Settings', 'DELETE', '/v1/settings/application', '200'],
  ['01-Settings/Application/Get-Media-Providers', 'GET', '/v1/settings/application/media/providers', '404 1006'],
  [
    '01-Settings/Application/Delete-Media-Providers',
    'DELETE',
    '/v1/settings/application/media/providers/%3CProvider%20Name%3E',
    '404 1006',
  ],
  ['01-Settings/Application/Update-Media-Providers', 'POST', '/v1/settings/application/media/providers', '404 1006'],
  ['03-Contacts/Check-Contact', 'POST', '/v1/contacts', '200 contacts'],
  ['03-Contacts/Check-Contact-Async', 'POST', '/v1/contacts/', '200 contacts'],
  ['00-Users/Logout-User', 'POST', '/v1/users/logout', '200'],
];

/** Meta's Postman collection for the On-Premises API (v2.23), request by request, as Meta wrote it. */
describeExternal("Meta's Postman collection v2.23", () => {
  const collection = JSON.parse(readExternal('meta-postman-v2.23/collection.json')) as { item: PostmanItem[] };
  const environment = JSON.parse(readExternal('meta-postman-v2.23/environment.json')) as {
    values: Array<{ key: string; value: string }>;
  };

  eachFactoryServer((server, target) => {
    it(
      'answers every request of 00-Users, 01-Settings/Application and 03-Contacts as documented',
      async () => {
        // The environment's values are descriptions ("<valid token from login api as admin>"):
        // each is replaced by what the person running the collection would paste in. The node
        // has one account, the admin: the "user" variables name it too.
        const vars: Record<string, string> = Object.fromEntries(environment.values.map((v) => [v.key, v.value]));
        const credentials = (password: string) => {
          Object.assign(vars, {
            AdminUsername: 'admin',
            AdminPassword: password,
            UserUsername: 'admin',
            UserPassword: password,
            Base64AdminCredentials: basic('admin', password),
            Base64UserCredentials: basic('admin', password),
          });
        };
        credentials('secret');
        Object.assign(vars, { URL: server.baseUrl, 'Recipient-WA-ID': RECIPIENT });

        const table: Row[] = [];
        for (const { name, request } of runOrder(requestsOf(collection))) {
          const url = new URL(fill(request.url.raw, vars));
          const headers = Object.fromEntries(request.header.map((h) => [h.key, fill(h.value, vars)]));
          const answer = await send({
            method: request.method,
            url: url.href,
            headers,
            body: fill(request.body?.raw ?? '', vars),
          });
          // The collection has no test scripts: its user copies the token (and the new password) by hand.
          const token = tokenOf(answer);
          if (name === '00-Users/Login-Admin' && token) {
            vars.AdminAuthToken = token;
            credentials(NEW_PASSWORD);
          }
          if (name === '00-Users/Login-User' && token) vars.UserAuthToken = token;
          table.push([name, request.method, url.pathname, outcome(answer)]);
        }
        printTable(`Meta's Postman collection v2.23 on ${target.name}:`, table);
        expect(table).toEqual(EXPECTED);
      },
      START_TIMEOUT,
    );
  });
});
