import { describe, expect, it } from 'vitest';
import { createSandboxClient, WhatsAppApiError } from '../src/sandbox.js';
import { errorAnswer, fakeFetch, json, type Sent } from './support/fake-fetch.js';

const baseUrl = 'http://api.test';
const meta = { api_status: 'experimental', version: 'v2.45.1' } as const;

function sandboxAnswering(answer: (sent: Sent) => Response) {
  const { fetch, sent } = fakeFetch(answer);
  return { sandbox: createSandboxClient({ baseUrl, fetch, token: 'tok' }), sent };
}

const request = (method: string, path: string): Sent => ({
  method,
  url: `${baseUrl}${path}`,
  headers: { authorization: 'Bearer tok' },
  body: '',
});

describe('sandbox misuse helpers', () => {
  it('getMisuse returns the counts and the state without meta', async () => {
    const status = {
      checked: 14,
      sent: 1,
      window_days: 7,
      state: 'disabled',
      warned_at: 1600132094000,
      disabled_at: 1600736894000,
    } as const;
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta, ...status }));
    await expect(sandbox.getMisuse()).resolves.toEqual(status);
    expect(sent).toEqual([request('GET', '/sandbox/misuse')]);
  });

  it('resetMisuse sends DELETE and returns nothing', async () => {
    const { sandbox, sent } = sandboxAnswering(() => json(200, { meta }));
    await expect(sandbox.resetMisuse()).resolves.toBeUndefined();
    expect(sent).toEqual([request('DELETE', '/sandbox/misuse')]);
  });

  it('sendMessage throws WhatsAppApiError 1031 (403) while the number is disabled', async () => {
    const details =
      'This phone number was disabled since 2020-09-22T01:08:14.000Z for checking more contacts than it sent messages. Reset it with DELETE /sandbox/misuse.';
    const { sandbox } = sandboxAnswering(() => errorAnswer(403, 1031, 'Account has been locked', details));
    const error = await sandbox.sendMessage('16315551000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ status: 403, code: 1031, title: 'Account has been locked', details });
  });
});
