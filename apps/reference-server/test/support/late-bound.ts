/**
 * A stand-in for an object a hook makes later (beforeAll): every property read goes to the
 * object of the moment, methods bound to it, so tests can hold it in a const from the start.
 */
export function lateBound<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      if (target === undefined) throw new Error(`${what} is made in beforeAll: use it in tests and hooks`);
      const value = Reflect.get(target, key, target);
      // Bound: a method may reach private state of its own object, which a proxy does not have.
      return typeof value === 'function' ? value.bind(target) : value;
    },
    // Writes too (receiver.answer = ...), or they would land on the empty stand-in.
    set(_, key, value) {
      const target = current();
      if (target === undefined) throw new Error(`${what} is made in beforeAll: use it in tests and hooks`);
      return Reflect.set(target, key, value, target);
    },
  });
}
