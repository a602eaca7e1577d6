/** Called with each payload notified on a channel; null: some may have been missed, re-read the state. */
export type ChannelListener = (payload: string | null) => void;

// Unquoted in PGlite's LISTEN (folded to lower case), quoted in pg_notify: only names both spell alike.
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertChannelName(channel: string): void {
  if (!CHANNEL_NAME.test(channel))
    throw new Error(`notification channel ${JSON.stringify(channel)} must match ${CHANNEL_NAME}`);
}

/** Who listens to which channel, in this process; a listener that throws does not stop the others. */
export class Channels {
  readonly #listeners = new Map<string, Set<ChannelListener>>();

  constructor(private readonly onError: (error: Error) => void) {}

  /** Adds the listener; true when it is the channel's first. */
  add(channel: string, listener: ChannelListener): boolean {
    const set = this.#listeners.get(channel);
    if (set) {
      set.add(listener);
      return false;
    }
    this.#listeners.set(channel, new Set([listener]));
    return true;
  }

  /** Removes the listener; true when the channel has none left. */
  remove(channel: string, listener: ChannelListener): boolean {
    const set = this.#listeners.get(channel);
    if (!set?.delete(listener) || set.size > 0) return false;
    this.#listeners.delete(channel);
    return true;
  }

  names(): string[] {
    return [...this.#listeners.keys()];
  }

  dispatch(channel: string, payload: string | null): void {
    for (const listener of this.#listeners.get(channel) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Tells every listener of every channel that it may have missed messages. */
  dispatchMissed(): void {
    for (const channel of this.names()) this.dispatch(channel, null);
  }
}
