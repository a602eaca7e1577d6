import { createServer, type Server } from 'node:http';
import { afterAll, bench, describe } from 'vitest';
import { createContactsClient } from '@wa-contacts/client';

// A local node:http server answering every request with the same fixed body, so both sides
// pay the same network and server cost and the difference is the client's own work.
const META = { api_status: 'stable', version: 'v2.45.1' };

async function fixedServer(body: string): Promise<{ server: Server; url: string }> {
  const buffer = Buffer.from(body);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': buffer.length });
      res.end(buffer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

for (const count of [1, 100]) {
  const numbers = Array.from({ length: count }, (_, i) => `+1 631 555 ${String(i).padStart(4, '0')}`);
  const answer = JSON.stringify({
    meta: META,
    contacts: numbers.map((input, i) => ({ wa_id: `1631555${String(i).padStart(4, '0')}`, input, status: 'valid' })),
  });
  const { server, url } = await fixedServer(answer);
  servers.push(server);
  const client = createContactsClient({ baseUrl: url, token: 'bench-token' });
  const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-token' };

  // Loopback requests vary a lot on a shared machine: more time, more samples.
  const options = { time: 3000, warmupTime: 500 };
  describe(`checkContacts, ${count} number${count > 1 ? 's' : ''}`, () => {
    bench(
      'fetch + JSON.parse',
      async () => {
        const res = await fetch(`${url}/v1/contacts`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ contacts: numbers, blocking: 'wait' }),
        });
        const data = JSON.parse(await res.text()) as { contacts: unknown[] };
        if (data.contacts.length !== count) throw new Error('wrong answer');
      },
      options,
    );
    bench(
      'createContactsClient().checkContacts',
      async () => {
        const contacts = await client.checkContacts(numbers, { wait: true });
        if (contacts.length !== count) throw new Error('wrong answer');
      },
      options,
    );
  });
}
