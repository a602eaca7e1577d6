// parseWebhook against the spec's own callback examples (every named example of the webhook's
// request body, and every schema's example put in a callback), and against broken bodies.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isWebhookCallback, parseWebhook, WebhookValidationError } from '../src/webhooks.js';

interface WebhooksDocument {
  webhooks: { callback: { post: { requestBody: { content: { 'application/json': { examples: Examples } } } } } };
  components: { schemas: Record<string, { example?: unknown }> };
}
type Examples = Record<string, { value: Record<string, unknown[]> }>;

const require = createRequire(import.meta.url);
const spec = require('@wa-contacts/spec/webhooks.json') as WebhooksDocument;
const examples = spec.webhooks.callback.post.requestBody.content['application/json'].examples;
const schemas = spec.components.schemas;

/** What parseWebhook must make of each named example of the spec. */
const EXPECTED_KINDS: Record<string, string[]> = {
  textMessage: ['message'],
  identityChanged: ['system'],
  numberChanged: ['system'],
  delivered: ['status'],
  identityNotAcknowledged: ['status'],
  nodeError: ['error'],
};

/** How each webhook schema's example goes into a callback, and the kind it must parse to. */
const IN_A_CALLBACK: Record<string, [wrap: (example: unknown) => unknown, kind: string]> = {
  WebhookCallback: [(e) => e, 'system'],
  WebhookMessagesCallback: [(e) => e, 'message'],
  WebhookStatusesCallback: [(e) => e, 'status'],
  WebhookErrorsCallback: [(e) => e, 'error'],
  WebhookMessage: [(e) => ({ messages: [e] }), 'message'],
  WebhookTextMessage: [(e) => ({ messages: [e] }), 'message'],
  WebhookSystemMessage: [(e) => ({ messages: [e] }), 'system'],
  WebhookIdentityChanged: [(e) => ({ messages: [system(e)] }), 'system'],
  WebhookNumberChanged: [(e) => ({ messages: [system(e)] }), 'system'],
  WebhookContact: [(e) => ({ contacts: [e], messages: [textMessage()] }), 'message'],
  WebhookStatus: [(e) => ({ statuses: [e] }), 'status'],
  WebhookStatusError: [(e) => ({ statuses: [{ ...status(), status: 'failed', errors: [e] }] }), 'status'],
  WebhookError: [(e) => ({ errors: [e] }), 'error'],
  WebhookMessageId: [(e) => ({ messages: [{ ...textMessage(), id: e }] }), 'message'],
  WebhookTimestamp: [(e) => ({ statuses: [{ ...status(), timestamp: e }] }), 'status'],
};

function textMessage() {
  return structuredClone(schemas.WebhookTextMessage!.example) as Record<string, unknown>;
}
function status() {
  return structuredClone(schemas.WebhookStatus!.example) as Record<string, unknown>;
}
function system(body: unknown) {
  return {
    from: '16315551000',
    id: 'gBGGFlA5FpafAgkOuJbRq54qwbM',
    timestamp: '1764946860',
    type: 'system',
    system: body,
  };
}
function identityChanged() {
  return structuredClone(examples.identityChanged!.value) as { messages: Record<string, unknown>[] };
}

/** The WebhookValidationError a call throws. */
function rejection(call: () => unknown): WebhookValidationError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookValidationError);
    return error as WebhookValidationError;
  }
  throw new Error('expected a WebhookValidationError');
}

describe('the spec examples', () => {
  it('names the six examples this test knows', () => {
    expect(Object.keys(examples).sort()).toEqual(Object.keys(EXPECTED_KINDS).sort());
  });

  for (const [name, { value }] of Object.entries(examples)) {
    it(`example ${name} parses to ${EXPECTED_KINDS[name]?.join(', ')}`, () => {
      expect(isWebhookCallback(value)).toBe(true);
      expect(parseWebhook(value).map((e) => e.kind)).toEqual(EXPECTED_KINDS[name]);
    });
  }

  it('every webhook schema has an example, and each one in a callback parses', () => {
    const webhookSchemas = Object.keys(schemas).filter((name) => name.startsWith('Webhook'));
    expect(webhookSchemas.sort()).toEqual(Object.keys(IN_A_CALLBACK).sort());
    for (const name of webhookSchemas) {
      const [wrap, kind] = IN_A_CALLBACK[name]!;
      expect(schemas[name]!.example, name).toBeDefined();
      expect(
        parseWebhook(wrap(schemas[name]!.example)).map((e) => e.kind),
        name,
      ).toEqual([kind]);
    }
  });
});

describe('parseWebhook', () => {
  it('gives a user_identity_changed as a system event with the new hash and the user', () => {
    expect(parseWebhook(examples.identityChanged!.value)).toEqual([
      {
        kind: 'system',
        message: examples.identityChanged!.value.messages![0],
        system: { type: 'user_identity_changed', identity: 'Rc/eg9RQ0JA=', user: '16315551000' },
      },
    ]);
  });

  it('pairs an inbound message with its sender in contacts', () => {
    const [event] = parseWebhook(examples.textMessage!.value);
    expect(event).toEqual({
      kind: 'message',
      message: examples.textMessage!.value.messages![0],
      contact: { profile: { name: 'Kerry Fisher' }, wa_id: '16315551000' },
    });
  });

  it('gives the 480 of a failed send on its status event', () => {
    const [event] = parseWebhook(examples.identityNotAcknowledged!.value);
    expect(event?.kind === 'status' && event.status.errors).toEqual([
      { code: 480, title: 'Failed to send message since we detect an identity change of the contact' },
    ]);
  });

  it('reads the JSON text of a body, one event per array entry, in order', () => {
    const body = { statuses: [status(), { ...status(), status: 'read', timestamp: '1764947000' }] };
    const events = parseWebhook(JSON.stringify(body));
    expect(events.map((e) => (e.kind === 'status' ? `${e.status.status}@${e.status.timestamp}` : e.kind))).toEqual([
      'failed@1764946900',
      'read@1764947000',
    ]);
  });

  it('accepts fields the spec does not list (Meta adds fields across versions)', () => {
    const body = { messages: [{ ...textMessage(), group_id: 'g1' }], contacts: [], extra: true };
    expect(parseWebhook(body).map((e) => e.kind)).toEqual(['message']);
  });
});

describe('parseWebhook refuses what is not a callback', () => {
  it('a timestamp that is a number, not a string of seconds', () => {
    const body = identityChanged();
    body.messages[0]!.timestamp = 1764946860;
    expect(rejection(() => parseWebhook(body)).issues).toEqual([
      { path: '/messages/0/timestamp', message: 'must be string' },
    ]);
  });

  it('a user_identity_changed without its user', () => {
    const body = identityChanged();
    body.messages[0]!.system = { type: 'user_identity_changed', identity: 'Rc/eg9RQ0JA=' };
    const error = rejection(() => parseWebhook(body));
    expect(error.issues).toEqual([{ path: '/messages/0/system', message: "must have required property 'user'" }]);
    expect(error.message).toBe("Not a webhook callback: /messages/0/system must have required property 'user'");
  });

  it('a message of a type the spec does not describe', () => {
    const body = { messages: [{ ...textMessage(), type: 'image' }] };
    expect(rejection(() => parseWebhook(body)).issues).toEqual([
      { path: '/messages/0', message: 'value of tag "type" must be in oneOf' },
    ]);
  });

  it('a status the spec does not know', () => {
    const error = rejection(() => parseWebhook({ statuses: [{ ...status(), status: 'lost' }] }));
    expect(error.issues).toEqual([
      {
        path: '/statuses/0/status',
        message: 'must be equal to one of the allowed values: sent, delivered, read, failed, deleted',
      },
    ]);
  });

  it('a body with both messages and statuses', () => {
    const body = { ...identityChanged(), statuses: [status()] };
    expect(rejection(() => parseWebhook(body)).issues).toEqual([
      { path: '', message: 'must have exactly one of messages, statuses, errors' },
    ]);
  });

  it('empty arrays, an array, null and text that is not JSON', () => {
    expect(rejection(() => parseWebhook({ messages: [] })).issues).toEqual([
      { path: '/messages', message: 'must NOT have fewer than 1 items' },
    ]);
    expect(rejection(() => parseWebhook([])).issues).toEqual([{ path: '', message: 'must be object' }]);
    expect(rejection(() => parseWebhook(null)).issues).toEqual([{ path: '', message: 'must be object' }]);
    expect(rejection(() => parseWebhook('{"messages":')).message).toBe('Not a webhook callback: (body) is not JSON');
  });

  it('with validate: false, only a body without exactly one of the three arrays', () => {
    const body = identityChanged();
    body.messages[0]!.timestamp = 1764946860;
    expect(parseWebhook(body, { validate: false }).map((e) => e.kind)).toEqual(['system']);
    expect(rejection(() => parseWebhook({ contacts: [] }, { validate: false })).message).toBe(
      'Not a webhook callback: (body) must have exactly one of messages, statuses, errors',
    );
  });
});
