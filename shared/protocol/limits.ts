/** The largest things the wire takes (loads nothing: clients use them). */

/** The largest `iterations` of one run: longer is a sweep, not a loop. */
export const MAX_ITERATIONS = 100_000

/** The most items one sweep may have. */
export const MAX_SWEEP_ITEMS = 100_000
