import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { pino } from 'pino';
import { operationRoutes, sandboxRoutes } from '@wa-contacts/server';
import { Clock } from './clock.js';
import type { Config } from './config.js';
import { AuthService } from './domain/auth.js';
import { followClock } from './domain/clock-sync.js';
import { ContactChecks } from './domain/contacts.js';
import { ContactModeration } from './domain/contacts-of-business.js';
import { Faults } from './domain/faults.js';
import type { ServerContext } from './domain/context.js';
import { Identities } from './domain/identity.js';
import { MisuseRule } from './domain/misuse.js';
import { PhoneNormalizer } from './domain/phone.js';
import { Sandbox } from './domain/sandbox.js';
import { ApiPriority } from './domain/webhooks/api-priority.js';
import { WebhookDeliverer } from './domain/webhooks/deliverer.js';
import { Snapshots, type Snapshot } from './domain/snapshot.js';
import { invalidParameter } from './errors.js';
import { createApiHandlers } from './handlers/api.js';
import { createSandboxHandlers } from './handlers/sandbox.js';
import { createClientErrorHandler } from './http/client-errors.js';
import { registerApiActivity } from './http/api-activity.js';
import { closeFreshConnectionsOnClose } from './http/close-fresh-connections.js';
import { ConnectionRequests } from './http/connection-requests.js';
import { registerDocs } from './http/docs.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerJsonBodyParser } from './http/json-body.js';
import { createMeta, metaFor } from './http/meta.js';
import { mountSpec, type Authenticators } from './http/mount.js';
import { registerNotFound } from './http/not-found.js';
import { RateLimits } from './http/rate-limit.js';
import { registerSerializerCompiler } from './http/serialization.js';
import { createValidatorCompiler } from './http/validation.js';
import { contactsSpec, sandboxSpec } from './specs.js';
import { openDatabase, type Database } from './storage/index.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Slow headers are cut sooner than a slow body (slowloris); never later than the request timeout. */
export const HEADERS_TIMEOUT_MS = 10_000;

export interface ReferenceServer {
  app: FastifyInstance;
  /** The server's logger. Use it, not app.log: that one is silent unless LOG_LEVEL is debug or trace (see createServer). */
  log: FastifyBaseLogger;
  db: Database;
  clock: Clock;
  checks: ContactChecks;
  /** Settles when the check index's load at start-up ends (logged as 'contact check index loaded' at info level). */
  indexLoaded: Promise<void>;
}

export interface ServerOptions {
  /** The logger; defaults to pino at the configured level, on standard output. */
  logger?: FastifyBaseLogger;
  /** Milliseconds of a monotonic clock for the rate limits; performance.now when absent. */
  rateLimitClock?: () => number;
  /** The state to start from (WA_SEED, src/seed.ts): replaces the database's at every start. */
  seed?: Snapshot;
}

/**
 * Builds the reference server: database opened and migrated, routes mounted, not listening
 * (pending checks resume once it listens; the check index is still loading, see indexLoaded).
 */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<ReferenceServer> {
  const verbose = ['debug', 'trace'].includes(config.logLevel);
  const meta = createMeta(config.apiVersion);
  const log = options.logger ?? pino({ level: config.logLevel });
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, config.requestTimeoutMs);
  const connectionRequests = new ConnectionRequests();
  const app = Fastify({
    // Request logging (a line per request, a pino child per request) costs a third of the
    // throughput: only when debugging. Otherwise Fastify is given no logger at all, since one
    // makes it listen for every response's 'finish' and 'error' (2.3 µs of a 28 µs request,
    // side by side), and a request logs through the server's own logger; only Fastify's
    // server-level lines (listening, client errors) are left out.
    ...(verbose ? { loggerInstance: log } : { logger: false, childLoggerFactory: () => log }),
    logController: new LogController({ disableRequestLogging: !verbose }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Long, odd phone numbers must reach validation (1009), not the router (404); Meta's own
    // clients send `POST /v1/contacts/`, so one trailing slash routes as without it.
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
    // The router's own refusals (bad percent-encoding, a parameter over maxParamLength) are
    // written by Fastify in its default shape, bypassing the error handler: answer 1009 here.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const refusal = invalidParameter(error.message);
      return reply.code(refusal.statusCode).send({
        meta: metaFor(meta, request.url),
        errors: [{ code: refusal.code, title: refusal.title, details: refusal.details }],
      });
    },
    return503OnClosing: true,
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout,
      // Node looks for expired requests every 30 s by default: a 30 s timeout could cut at 60 s.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(config.requestTimeoutMs / 10))),
    },
    // No connectionTimeout (idle socket): a socket is idle while a long check runs; idle
    // keep-alive connections close after Fastify's keepAliveTimeout (72 s).
    clientErrorHandler: createClientErrorHandler(
      meta.api,
      {
        headersMs: headersTimeout,
        requestMs: config.requestTimeoutMs,
      },
      connectionRequests,
    ),
  });
  connectionRequests.watch(app.server);

  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    onPoolError: (err) => log.error({ err }, 'idle PostgreSQL connection failed'),
    onRetry: ({ code, attempt, delayMs }) =>
      log.warn(
        { code, attempt, delayMs },
        'PostgreSQL aborted a transaction (deadlock or serialization failure): retrying',
      ),
  });
  const clock = new Clock();
  // Every instance on the database follows every clock move, through LISTEN/NOTIFY.
  const instance = randomUUID();
  const { moves: clockMoves, stop: unwatchClock } = await followClock(db, clock, instance, (err) =>
    log.error({ err }, 'following the sandbox clock failed'),
  );
  const ctx: ServerContext = { config, db, clock, phones: new PhoneNormalizer(config.business), log };

  app.setValidatorCompiler(createValidatorCompiler());
  registerSerializerCompiler(app);
  registerJsonBodyParser(app);
  registerErrorHandler(app, meta);
  registerNotFound(app, config.sandbox ? [contactsSpec, sandboxSpec] : [contactsSpec], meta);
  app.decorateRequest('username', '');
  registerDocs(app, { sandbox: config.sandbox });
  closeFreshConnectionsOnClose(app);

  const auth = new AuthService(ctx);
  // Every instance on the database drops a token revoked by any of them, through LISTEN/NOTIFY.
  const unwatchRevocations = await auth.follow(instance, (err) =>
    log.error({ err }, 'following token revocations failed'),
  );
  await auth.ensureAdmin();
  const authenticators: Authenticators = {
    bearerAuth: {
      cached: (request) => auth.cachedBearer(request.headers.authorization),
      verify: (request) => auth.verifyBearer(request.headers.authorization),
    },
    basicAuth: { verify: (request) => auth.verifyBasic(request.headers, request.ip) },
  };

  // Only the sandbox can arm failures; without it there is nothing to consult.
  const faults = config.sandbox
    ? new Faults(
        new Set([...Object.keys(operationRoutes), ...Object.keys(sandboxRoutes)].filter((id) => id !== 'injectFault')),
      )
    : undefined;
  const misuse = new MisuseRule(ctx, instance);
  const unwatchMisuse = await misuse.follow();
  const checks = new ContactChecks(ctx, misuse);
  const services = {
    db,
    auth,
    checks,
    identities: new Identities(ctx),
    moderation: new ContactModeration(ctx),
    misuse,
    businessNumber: config.business.number,
  };
  const { rateLimit } = config;
  const limitClock = options.rateLimitClock ?? (() => performance.now());
  const rateLimits = rateLimit ? new RateLimits(rateLimit, limitClock) : undefined;
  const limiterFor = rateLimits ? (label: string) => rateLimits.limiter(label) : undefined;
  // Webhook delivery yields to the API while it is in use (domain/webhooks/api-priority.ts).
  const priority = new ApiPriority();
  registerApiActivity(app, priority);
  await mountSpec(app, {
    spec: contactsSpec,
    routes: operationRoutes,
    handlers: createApiHandlers(services, meta.api),
    authenticators,
    faults,
    limiterFor,
  });
  const snapshots = new Snapshots(ctx, clockMoves, checks, misuse);
  if (options.seed) await snapshots.restore(options.seed);
  // Not waited for: the server listens while it loads (6–8 s at 1,000,000 inputs), checks reading the tables for what it does not hold yet.
  const indexLoaded = checks
    .loadIndexInBackground((err) => log.error({ err }, 'loading the contact check index failed'))
    .then((loaded) => {
      if (loaded) log.info(loaded, 'contact check index loaded');
    });
  // The sandbox is not limited: it simulates the network around the node, not the node.
  if (faults) {
    const handlers = createSandboxHandlers(
      new Sandbox(ctx, clockMoves, instance),
      faults,
      meta.sandbox,
      misuse,
      snapshots,
      rateLimits,
    );
    await mountSpec(app, { spec: sandboxSpec, routes: sandboxRoutes, handlers, authenticators, faults });
  }

  // Listening comes first: a backlog of pending checks is worked in the background after it.
  app.addHook('onListen', (done) => {
    checks.resumePending();
    done();
  });
  // Callbacks go out whether or not this instance listens (the outbox is shared with the others).
  const deliverer = new WebhookDeliverer({
    priority,
    db,
    clock,
    instance,
    timeoutMs: config.webhookTimeoutMs,
    logKeep: config.webhookLogKeep,
    onError: (err) => log.error({ err }, 'delivering webhook callbacks failed'),
  });
  await deliverer.start();
  app.addHook('onClose', async () => {
    await deliverer.close();
    await checks.close();
    await unwatchRevocations();
    await unwatchMisuse();
    await unwatchClock();
    await db.close();
  });
  await app.ready();
  return { app, log, db, clock, checks, indexLoaded };
}
