/**
 * A KV with some methods replaced and every other one called on the real KV itself (never on the wrapper, so
 * state the KV keeps on `this`, such as its write queue and revision, stays in one place).
 */
export function withOverrides<T extends object>(kv: T, overrides: Partial<T>): T {
  return new Proxy(kv, {
    get(target, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
