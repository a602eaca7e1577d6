import pg from 'pg';
import { assertChannelName, Channels, type ChannelListener } from './channels.js';

/** Followed by the process id, the listening connection's application_name. */
export const LISTENER_APPLICATION_NAME = 'wa-contacts listener ';

/** Waits between reconnection attempts of the listening connection; the last one repeats. */
const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * LISTEN on PostgreSQL: one dedicated connection (a pooled one would go back to the pool and
 * stop hearing), named `wa-contacts listener <pid>` in pg_stat_activity. When it drops, it is
 * re-established with back-off, never crashing the process, and every listener then gets null
 * (what was notified meanwhile is lost).
 */
export class PostgresListener {
  readonly #channels: Channels;
  #client: pg.Client | undefined;
  /** Channels LISTENed on #client. */
  #listening = new Set<string>();
  #connecting: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  /** Once the first connection stood, reconnections are the timer's business. */
  #started = false;
  #closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onError: (error: Error) => void,
  ) {
    this.#channels = new Channels(onError);
  }

  async listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
    assertChannelName(channel);
    if (this.#closed) throw new Error('the database is closed');
    this.#channels.add(channel, listener);
    try {
      // The first listen connects; later ones use the connection, or leave the channel to the reconnection under way.
      if (!this.#started) {
        this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
        await this.#connecting;
        this.#started = true;
      }
      await this.#listenOn(channel);
    } catch (error) {
      this.#channels.remove(channel, listener);
      throw error;
    }
    return async () => {
      if (!this.#channels.remove(channel, listener)) return;
      const client = this.#client;
      if (!client || !this.#listening.delete(channel)) return;
      await client.query(`UNLISTEN ${client.escapeIdentifier(channel)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #listenOn(channel: string): Promise<void> {
    const client = this.#client;
    if (!client || this.#listening.has(channel)) return;
    this.#listening.add(channel);
    try {
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      this.#listening.delete(channel);
      throw error;
    }
  }

  /** A new connection LISTENing on every channel; throws when that fails. */
  async #connect(): Promise<void> {
    const client = new pg.Client({
      ...this.config,
      application_name: `${LISTENER_APPLICATION_NAME}${process.pid}`,
      keepAlive: true,
    });
    client.on('notification', (message) => this.#channels.dispatch(message.channel, message.payload ?? ''));
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (error) => this.#dropped(client, error));
    client.on('end', () => this.#dropped(client));
    try {
      await client.connect();
      if (this.#closed) throw new Error('the database is closed');
      this.#client = client;
      this.#listening = new Set();
      for (const channel of this.#channels.names()) await this.#listenOn(channel);
    } catch (error) {
      if (this.#client === client) this.#client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  #dropped(client: pg.Client, error?: Error): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    this.onError(error ?? new Error('the PostgreSQL connection that LISTENs was closed'));
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#retry || this.#closed) return;
    const delay = BACKOFF_MS[Math.min(this.#failures, BACKOFF_MS.length - 1)]!;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#connecting = this.#connect().finally(() => (this.#connecting = undefined));
      this.#connecting.then(
        () => {
          this.#failures = 0;
          this.#channels.dispatchMissed();
        },
        (error: unknown) => {
          if (this.#closed) return;
          this.#failures++;
          this.onError(error instanceof Error ? error : new Error(String(error)));
          this.#scheduleReconnect();
        },
      );
    }, delay);
    // Waiting to reconnect must not keep a process alive that has nothing else to do.
    this.#retry.unref();
  }
}
