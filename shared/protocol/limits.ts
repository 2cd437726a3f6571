/** The largest things the wire takes (loads nothing: clients use them). */

/** The largest `iterations` of one run: longer is a sweep, not a loop. */
export const MAX_ITERATIONS = 100_000

/** The most items one sweep may have. */
export const MAX_SWEEP_ITEMS = 100_000

/** The largest JSON request body the bridge reads (bytes). */
export const MAX_JSON_BODY = 64 * 1024 * 1024

/** The largest binary request body (an envelope, a PNG, a .latent) the bridge reads (bytes). */
export const MAX_BINARY_BODY = 256 * 1024 * 1024
