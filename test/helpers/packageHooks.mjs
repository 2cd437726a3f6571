// Module hooks (node:module register) that tell the main thread each npm package (and node: builtin) a process loads.
let port
export function initialize(data) {
  port = data.port
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  const found = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved.url)
  if (found) port.postMessage(found[1])
  else if (resolved.url.startsWith('node:')) port.postMessage(resolved.url)
  return resolved
}
