import { internalError, invalidParameter } from '../errors.js';

/**
 * Failures armed through the sandbox: the next calls of an operation answer 500 (1014).
 * In memory on purpose: a fault is a test's instruction to this process, not data.
 */
export class Faults {
  private readonly pending = new Map<string, number>();

  constructor(private readonly operationIds: ReadonlySet<string>) {}

  arm(operationId: string, count: number): void {
    if (!this.operationIds.has(operationId)) {
      throw invalidParameter(
        `Unknown operation_id ${operationId}: use an operationId of the contacts API or the sandbox.`,
      );
    }
    if (count === 0) this.pending.delete(operationId);
    else this.pending.set(operationId, count);
  }

  /** Throws the armed failure, if any, for this call of the operation. */
  strike(operationId: string): void {
    const left = this.pending.get(operationId);
    if (left === undefined) return;
    if (left <= 1) this.pending.delete(operationId);
    else this.pending.set(operationId, left - 1);
    throw internalError();
  }
}
