/**
 * The frontend messages a named statement runs with (Bind, Execute, Sync), written into one
 * buffer: PGlite's `protocol.serialize.bind` allocates several ArrayBuffers per call (14 µs
 * here, a third of an indexed read's round trip). The bytes are those of PGlite's serializers
 * (test/storage/pglite-messages.test.ts): the unnamed portal, each parameter in text, results in
 * text.
 */
const encoder = new TextEncoder();
const EXECUTE = [0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0];
const SYNC = [0x53, 0, 0, 0, 4];

export class FrontendMessages {
  #bytes = new Uint8Array(4096);
  #view = new DataView(this.#bytes.buffer);
  #at = 0;

  /** Bind of the named statement's parameters, then Execute of all its rows. */
  bindExecute(statement: string, values: readonly (string | null)[]): this {
    const start = this.#at;
    this.#room(5);
    this.#bytes[start] = 0x42;
    this.#at += 5;
    this.#cstring('');
    this.#cstring(statement);
    this.#room(4 + 2 * values.length);
    this.#uint16(values.length);
    for (let i = 0; i < values.length; i++) this.#uint16(0);
    this.#uint16(values.length);
    for (const value of values) {
      if (value === null) {
        this.#room(4);
        this.#view.setInt32(this.#at, -1);
        this.#at += 4;
        continue;
      }
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      this.#room(4 + 3 * value.length);
      const { written } = encoder.encodeInto(value, this.#bytes.subarray(this.#at + 4));
      this.#view.setInt32(this.#at, written);
      this.#at += 4 + written;
    }
    this.#room(2 + EXECUTE.length);
    this.#uint16(0);
    this.#view.setInt32(start + 1, this.#at - start - 1);
    this.#bytes.set(EXECUTE, this.#at);
    this.#at += EXECUTE.length;
    return this;
  }

  /** The messages so far and a Sync, as a buffer of their own; the writer starts over. */
  sync(): Uint8Array {
    this.#room(SYNC.length);
    this.#bytes.set(SYNC, this.#at);
    const out = this.#bytes.slice(0, this.#at + SYNC.length);
    this.#at = 0;
    // A large statement's buffer is not kept for the small ones that follow.
    if (this.#bytes.length > 65_536) this.#room(0, 4096);
    return out;
  }

  #cstring(text: string): void {
    this.#room(3 * text.length + 1);
    this.#at += encoder.encodeInto(text, this.#bytes.subarray(this.#at)).written;
    this.#bytes[this.#at++] = 0;
  }

  #uint16(n: number): void {
    this.#view.setUint16(this.#at, n);
    this.#at += 2;
  }

  #room(n: number, size = Math.max(2 * this.#bytes.length, this.#at + n)): void {
    if (this.#at + n <= this.#bytes.length && size >= this.#bytes.length) return;
    const bytes = new Uint8Array(size);
    bytes.set(this.#bytes.subarray(0, this.#at));
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer);
  }
}
