import { countListeningInstances, notify, type Database } from '../storage/index.js';

/** Every instance on the database hears each revocation here: `<announcer> <seq> user <username>` or `… token <sha256>`. */
export const TOKENS_CHANNEL = 'wa_contacts_tokens';
/** Each instance confirms there that it forgot what it was told: `<instance> <announcer> <seq>`. */
export const TOKENS_CONFIRM_CHANNEL = 'wa_contacts_tokens_confirm';
// How long a revocation's answer waits for the other instances, a few ms normally, before it goes out anyway (an instance that hangs).
const CONFIRM_WAIT_MS = 1000;

/** What another instance must drop from its token cache; null: it may have missed some, drop everything. */
export type Revocation = { kind: 'user'; username: string } | { kind: 'token'; tokenHash: string };

const MESSAGE = /^(\S+) (\d+) (user|token) (.*)$/s;

/**
 * Tells every instance sharing the database that tokens were revoked (a logout, a password
 * change), as the sandbox clock does with its moves: announce() resolves once each listening
 * instance has dropped them from its cache and confirmed, so the next request to any instance
 * is refused.
 */
export class TokenRevocations {
  #seq = 0;
  readonly #waiting = new Map<number, { confirmed: Set<string>; check(): void }>();

  constructor(
    private readonly db: Database,
    private readonly instance: string,
    private readonly forget: (revocation: Revocation | null) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts listening; returns the function that stops. */
  async follow(): Promise<() => Promise<void>> {
    const stopConfirmations = await this.db.listen(TOKENS_CONFIRM_CHANNEL, (payload) => {
      const [from, announcer, seq] = (payload ?? '').split(' ');
      if (from === undefined || announcer !== this.instance) return;
      const waiting = this.#waiting.get(Number(seq));
      waiting?.confirmed.add(from);
      waiting?.check();
    });
    const stopRevocations = await this.db.listen(TOKENS_CHANNEL, (payload) => {
      if (payload === null) return this.forget(null);
      const message = MESSAGE.exec(payload);
      if (!message) return;
      const [, announcer, seq, kind, value] = message as unknown as [string, string, string, 'user' | 'token', string];
      this.forget(kind === 'user' ? { kind, username: value } : { kind, tokenHash: value });
      notify(this.db, TOKENS_CONFIRM_CHANNEL, `${this.instance} ${announcer} ${seq}`).catch(this.onError);
    });
    return async () => {
      await stopRevocations();
      await stopConfirmations();
    };
  }

  /** After the revocation committed: resolves once every listening instance forgot it (at most CONFIRM_WAIT_MS). */
  async announce(revocation: Revocation): Promise<void> {
    const instances = await countListeningInstances(this.db);
    if (instances === 0) return; // PGlite: this process is the only one, and it forgot already
    const seq = ++this.#seq;
    const confirmed = new Set<string>();
    const done = new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#waiting.delete(seq);
        resolve();
      };
      const timer = setTimeout(finish, CONFIRM_WAIT_MS);
      this.#waiting.set(seq, { confirmed, check: () => confirmed.size >= instances && finish() });
    });
    const value = revocation.kind === 'user' ? revocation.username : revocation.tokenHash;
    await notify(this.db, TOKENS_CHANNEL, `${this.instance} ${seq} ${revocation.kind} ${value}`);
    await done;
  }
}
