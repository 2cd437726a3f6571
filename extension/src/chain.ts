/**
 * Wrap a method of an object the page owns (the api, a node prototype) so
 * that ours runs around the original, which it may call or skip. The
 * original stays reachable and bound; wrapping twice chains twice.
 */
export function chainMethod<T extends object, K extends keyof T>(
  target: T,
  name: K,
  wrap: T[K] extends (...args: infer A) => infer R ? (original: (...args: A) => R, ...args: A) => R : never,
): void {
  const original = (target[name] as (...args: unknown[]) => unknown).bind(target)
  const wrapper = function (this: unknown, ...args: unknown[]) {
    return (wrap as (original: (...args: unknown[]) => unknown, ...args: unknown[]) => unknown)(original, ...args)
  }
  target[name] = wrapper as T[K]
}
