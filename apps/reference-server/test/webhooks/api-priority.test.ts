import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ApiPriority } from '../../src/domain/webhooks/api-priority.js';
import { registerApiActivity } from '../../src/http/api-activity.js';

/** A priority on a hand-moved clock, whose loop reports `busy` ms of work (over a slice's share when busy is high). */
const controlled = (o: { busyPerRead?: number } = {}) => {
  const state = { now: 10_000, busy: 0 };
  const priority = new ApiPriority({
    activeMs: 1_000,
    sliceMs: 2,
    busyShare: 0.5,
    now: () => state.now,
    // Each read finds the loop busier by busyPerRead ms: with 10, always past the share.
    busyMs: () => {
      state.busy += o.busyPerRead ?? 0;
      return state.busy;
    },
  });
  return { state, priority };
};

describe('ApiPriority', () => {
  it('lets every step go at once while the API is idle, however busy the loop', () => {
    const { priority } = controlled({ busyPerRead: 10 });
    expect(priority.active).toBe(false);
    expect(Array.from({ length: 5 }, () => priority.turn())).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(priority.waiting).toBe(0);
  });

  it('counts the API in use for activeMs after its last request', () => {
    const { state, priority } = controlled();
    priority.apiRequest();
    state.now += 999;
    expect(priority.active).toBe(true);
    state.now += 1;
    expect(priority.active).toBe(false);
  });

  it('lets steps go while the API is in use and the loop is under its share', () => {
    const { priority } = controlled({ busyPerRead: 0 });
    priority.apiRequest();
    expect([priority.turn(), priority.turn(), priority.turn()]).toEqual([undefined, undefined, undefined]);
  });

  it('holds steps past the share, and lets one go per slice whatever the load (the floor), in order', async () => {
    const { priority } = controlled({ busyPerRead: 10 });
    priority.apiRequest();
    const order: number[] = [];
    const turns = [0, 1, 2].map((i) => {
      const wait = priority.turn();
      expect(wait).toBeInstanceOf(Promise);
      return wait!.then(() => order.push(i));
    });
    expect(priority.waiting).toBe(3);
    await turns[0];
    expect(order).toEqual([0]);
    expect(priority.waiting).toBe(2);
    await turns[1];
    expect(order).toEqual([0, 1]);
    expect(priority.waiting).toBe(1);
    await turns[2];
    expect(order).toEqual([0, 1, 2]);
    expect(priority.waiting).toBe(0);
  });

  it('lets every waiting step go when closed', async () => {
    const { priority } = controlled({ busyPerRead: 10 });
    priority.apiRequest();
    const turns = [priority.turn(), priority.turn()];
    priority.close();
    expect(priority.waiting).toBe(0);
    await Promise.all(turns);
  });
});

describe('registerApiActivity', () => {
  it('counts requests to /v1 as the API in use, and not those to the sandbox', async () => {
    const priority = new ApiPriority();
    const app = Fastify();
    registerApiActivity(app, priority);
    app.post('/sandbox/inbound', async () => ({}));
    app.get('/v1/health', async () => ({}));
    await app.ready();
    expect((await app.inject({ method: 'POST', url: '/sandbox/inbound' })).statusCode).toBe(200);
    expect(priority.active).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/v1/health' })).statusCode).toBe(200);
    expect(priority.active).toBe(true);
    await app.close();
  });
});
