import type { FuzzRequest } from './arbitraries.js';
import type { FuzzResponse } from './harness.js';
import type { Conformance } from './oracle.js';

interface OperationStats {
  valid: number;
  broken: number;
  /** Valid requests answered 2xx. */
  valid2xx: number;
  conforming: number;
  statuses: Map<number, number>;
}

/** What a fuzz run sent and got back: per operation, per kind, per status. */
export class FuzzStats {
  runs = 0;
  readonly operations = new Map<string, OperationStats>();
  readonly statuses = new Map<number, number>();
  readonly breakages = new Map<string, number>();
  hugeBodies = 0;
  /** 500s of a fault armed through the sandbox (injectFault), the only 500s allowed. */
  struckFaults = 0;
  private started = 0;

  record(req: FuzzRequest, res: FuzzResponse, conformance: Conformance, bodyBytes: number, faultArmed = false): void {
    if (this.runs++ === 0) this.started = performance.now();
    let s = this.operations.get(req.operationId);
    if (!s) {
      s = { valid: 0, broken: 0, valid2xx: 0, conforming: 0, statuses: new Map() };
      this.operations.set(req.operationId, s);
    }
    s[req.kind]++;
    if (req.kind === 'valid' && res.status >= 200 && res.status < 300) s.valid2xx++;
    if (conformance.conforming) s.conforming++;
    s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    if (req.kind === 'broken') {
      // The kind of breakage, without the generated detail: "body: contacts: an item: ...".
      const family = req.breakage.split(':').slice(0, 2).join(':').trim();
      this.breakages.set(family, (this.breakages.get(family) ?? 0) + 1);
    }
    if (bodyBytes > 100_000) this.hugeBodies++;
    if (faultArmed && res.status === 500) this.struckFaults++;
  }

  get elapsedSeconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  totals(): { valid: number; broken: number; valid2xx: number } {
    const t = { valid: 0, broken: 0, valid2xx: 0 };
    for (const s of this.operations.values()) {
      t.valid += s.valid;
      t.broken += s.broken;
      t.valid2xx += s.valid2xx;
    }
    return t;
  }

  /** One line: runs, seed, time, per-status counts. */
  summary(seed: number): string {
    const t = this.totals();
    const statuses = [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}:${n}`)
      .join(' ');
    return `fuzz: ${this.runs} requests (${t.valid} valid, ${t.broken} broken, ${this.hugeBodies} bodies over 100 kB), seed ${seed}, ${this.elapsedSeconds.toFixed(1)} s, statuses ${statuses} (${this.struckFaults} of the 500s by injected faults), valid→2xx ${t.valid2xx}/${t.valid}`;
  }

  /** Per operation: valid/broken counts, valid→2xx, statuses. */
  table(): string {
    return [...this.operations.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, s]) => {
        const statuses = [...s.statuses.entries()]
          .sort(([a], [b]) => a - b)
          .map(([status, n]) => `${status}:${n}`)
          .join(' ');
        return `  ${id.padEnd(26)} valid ${String(s.valid).padStart(4)} (2xx ${String(s.valid2xx).padStart(4)})  broken ${String(s.broken).padStart(4)}  ${statuses}`;
      })
      .join('\n');
  }
}
