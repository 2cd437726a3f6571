/**
 * A DiscomfortPort's mode follows its links: no incoming link → INPUT (reads
 * the context), no outgoing link → OUTPUT (writes it), both → PASSTHRU.
 * Pure functions, so they are tested without a browser.
 */

export type PortMode = 'INPUT' | 'OUTPUT' | 'PASSTHRU'

export function portMode(hasIncomingLink: boolean, outgoingLinks: number): PortMode {
  if (!hasIncomingLink) return 'INPUT'
  return outgoingLinks > 0 ? 'PASSTHRU' : 'OUTPUT'
}

export interface ModeStyle {
  color: string
  bgcolor: string
  badge: string
}

/** Colours that read on both the classic canvas and the Vue-rendered nodes. */
export const MODE_STYLES: Record<PortMode, ModeStyle> = {
  INPUT: { color: '#1f5f3a', bgcolor: '#2a7a4b', badge: '⇢ INPUT' },
  OUTPUT: { color: '#5f3a1f', bgcolor: '#7a4b2a', badge: 'OUTPUT ⇢' },
  PASSTHRU: { color: '#3a3a5f', bgcolor: '#4b4b7a', badge: '⇢ PASSTHRU ⇢' },
}

/** The node title: the key and the mode, and the type once connected. */
export function portTitle(uniqueId: string, mode: PortMode, type?: string): string {
  const key = uniqueId.trim() || '(no unique_id)'
  return `${mode === 'INPUT' ? '▶ ' : mode === 'OUTPUT' ? '◀ ' : '⇄ '}${key} · ${mode}${type && type !== '*' ? ` · ${type}` : ''}`
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}
