// The parts of Dredd 14 this package uses: Dredd ships no types and there is no @types package.

declare module 'hooks' {
  namespace hooks {
    type Headers = Record<string, string>;
    interface Transaction {
      name: string;
      id: string;
      protocol: string;
      host: string;
      port: string | number;
      fullPath: string;
      origin: { resourceName: string; actionName: string; exampleName: string };
      request: { method: string; uri: string; headers: Headers; body: string };
      expected: { statusCode: string; headers: Headers; body?: string; bodySchema?: object };
      real?: { statusCode: number; headers: Headers; body: string };
      /** A truthy value skips the transaction. */
      skip: boolean;
      /** A message fails the transaction. */
      fail: string | false;
    }
    type Done = () => void;
    type Hook<T> = (data: T, done: Done) => void;
    interface Hooks {
      /** The compiled transactions by name, known when the hook file loads. */
      transactions: Record<string, Transaction>;
      configuration: { endpoint: string };
      beforeAll(hook: Hook<Transaction[]>): void;
      beforeEach(hook: Hook<Transaction>): void;
      beforeEachValidation(hook: (transaction: Transaction) => void): void;
      before(name: string, hook: Hook<Transaction>): void;
      after(name: string, hook: Hook<Transaction>): void;
    }
  }
  const hooks: hooks.Hooks;
  export = hooks;
}

declare module 'dredd' {
  import type { EventEmitter } from 'node:events';
  namespace Dredd {
    /** What Dredd's emitter passes with 'test pass', 'test fail', 'test skip' and 'test error'. */
    interface Test {
      title?: string;
      message?: string;
      origin?: { resourceName: string; actionName: string; exampleName: string };
      actual?: { statusCode: number; body?: string };
      request?: { body?: string };
    }
    interface Options {
      endpoint: string;
      path: string[];
      hookfiles: string[];
      emitter: EventEmitter;
      loglevel: 'error' | 'warn' | 'debug';
      color: boolean;
      custom: { cwd: string };
    }
  }
  class Dredd {
    constructor(options: Dredd.Options);
    run(callback: (error: Error | null | undefined) => void): void;
  }
  export = Dredd;
}

declare module 'dredd/build/reporters/reporterOutputLogger' {
  const logger: { default: { transports: { console: { silent: boolean } } } };
  export = logger;
}
