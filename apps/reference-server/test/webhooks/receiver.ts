import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCallback } from '@wa-contacts/test-kit/contract';

export interface Received {
  body: unknown;
  contentType: string | undefined;
}

/** A callback that does not conform to the spec's WebhookCallback fails every wait on the receiver. */
export class NonConformingCallback extends Error {}

/** What the receiver answers the nth request (0-based): a status, or 'hang' (never answers). */
export type Answer = (n: number, body: unknown) => number | 'hang';

/** A webhook receiver on 127.0.0.1 that records every callback. */
export interface Receiver {
  url: string;
  received: Received[];
  answer: Answer;
  /** Resolves once count callbacks arrived; rejects after timeoutMs (bounded: no test waits forever). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  /** Cuts the connections of the requests left hanging. */
  release(): void;
  /** The most callbacks in flight at once so far. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200, port = 0): Promise<Receiver> {
  const received: Received[] = [];
  /** What the contract toolkit found wrong with the callbacks received, one line each. */
  const broken: string[] = [];
  const hanging = new Set<ServerResponse>();
  let inFlight = 0;
  let peak = 0;
  /** Each returns true once satisfied, and is then dropped. */
  let waiters: Array<() => boolean> = [];
  const receiver: Receiver = {
    url: '',
    received,
    answer,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (broken.length > 0) {
            clearTimeout(timer);
            reject(new NonConformingCallback(broken.join('\n')));
            return true;
          }
          if (received.length < count) return false;
          clearTimeout(timer);
          resolve(received.slice(0, count));
          return true;
        };
        const timer = setTimeout(
          () => reject(new Error(`${received.length} of ${count} callbacks within ${timeoutMs} ms`)),
          timeoutMs,
        );
        if (!check()) waiters.push(check);
      });
    },
    release: () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    maxInFlight: () => peak,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const problems = checkCallback(text);
      if (problems.length > 0) broken.push(`callback ${received.length}: ${problems.join('; ')}`);
      const body = JSON.parse(text) as unknown;
      const n = received.length;
      received.push({ body, contentType: req.headers['content-type'] });
      waiters = waiters.filter((satisfied) => !satisfied());
      const status = receiver.answer(n, body);
      if (status === 'hang') {
        hanging.add(res);
        res.on('close', () => inFlight--);
        return;
      }
      // Answered a little later, so that concurrent callbacks overlap here.
      setTimeout(() => {
        inFlight--;
        res.writeHead(status).end();
      }, 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return receiver;
}
