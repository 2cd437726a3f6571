/** Which failures of a run are its cancellation (loads nothing: clients use it). */

/** The codes of the failures that mean someone cancelled the run (not that it went wrong). */
export const CANCELLED_CODES = { run: 'run_cancelled', comfy: 'comfy_cancelled' } as const

/** Whether a run's failure (its `code`) is its cancellation. */
export const isCancellation = (f: { code: string }): boolean =>
  f.code === CANCELLED_CODES.run || f.code === CANCELLED_CODES.comfy
