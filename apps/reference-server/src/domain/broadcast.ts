import { countListeningInstances, notify, type Database, type Queryable } from '../storage/index.js';

// How long a sender waits for the other instances' confirmations, a few ms normally, before it goes on anyway (an instance that hangs).
const CONFIRM_WAIT_MS = 1000;

const MESSAGE = /^(\S+) (\d+) (.*)$/s;

/** What send() hands back: resolves once every listening instance has handled the message. */
export interface Delivery {
  confirmed(): Promise<void>;
}

/**
 * One piece of state every instance sharing the database keeps in memory (the sandbox clock,
 * the token cache), kept in step through LISTEN/NOTIFY: each instance handles every message
 * on `channel` (its own included) and confirms it on `<channel>_confirm`, so a sender can
 * answer its client only once no instance still runs on the old state. Message:
 * `<sender> <seq> <payload>`; confirmation: `<instance> <sender> <seq>`.
 */
export class Broadcast {
  #seq = 0;
  readonly #waiting = new Map<number, { confirmed: Set<string>; check(): void }>();

  constructor(
    private readonly db: Database,
    private readonly channel: string,
    private readonly instance: string,
    /** A message's payload; null: some may have been missed (a listening connection dropped), re-read the state. */
    private readonly onMessage: (payload: string | null) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts listening; returns the function that stops. */
  async follow(): Promise<() => Promise<void>> {
    const stopConfirmations = await this.db.listen(`${this.channel}_confirm`, (payload) => {
      const [from, sender, seq] = (payload ?? '').split(' ');
      if (from === undefined || sender !== this.instance) return;
      const waiting = this.#waiting.get(Number(seq));
      waiting?.confirmed.add(from);
      waiting?.check();
    });
    const stopMessages = await this.db.listen(this.channel, (payload) => {
      if (payload === null) return this.onMessage(null);
      const message = MESSAGE.exec(payload);
      if (!message) return;
      const [, sender, seq, body] = message as unknown as [string, string, string, string];
      this.onMessage(body);
      notify(this.db, `${this.channel}_confirm`, `${this.instance} ${sender} ${seq}`).catch(this.onError);
    });
    return async () => {
      await stopMessages();
      await stopConfirmations();
    };
  }

  /**
   * Sends payload through q: inside a transaction, it goes out when that commits (nothing on
   * rollback). Call confirmed() once it is out.
   */
  async send(q: Queryable, payload: string): Promise<Delivery> {
    const seq = ++this.#seq;
    const confirmed = new Set<string>();
    let check = (): void => undefined;
    // Registered before the message can be heard, so no confirmation is missed.
    this.#waiting.set(seq, { confirmed, check: () => check() });
    try {
      await notify(q, this.channel, `${this.instance} ${seq} ${payload}`);
    } catch (error) {
      this.#waiting.delete(seq);
      throw error;
    }
    return {
      confirmed: async () => {
        try {
          const instances = await countListeningInstances(this.db);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, CONFIRM_WAIT_MS);
            check = () => {
              if (confirmed.size < instances) return;
              clearTimeout(timer);
              resolve();
            };
            check();
          });
        } finally {
          this.#waiting.delete(seq);
        }
      },
    };
  }
}
