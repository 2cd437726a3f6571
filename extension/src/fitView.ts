/**
 * A workflow opened from a file can land where the canvas is not looking: its
 * saved view came from another screen, or it has none and the canvas stays
 * where it was. Frontends from 1.5x bring such a graph into view themselves;
 * older ones leave the user to press ".". After a graph loads, if no node is
 * in view, this puts all of them in view. Pure functions: tested without a browser.
 */

export interface NodeBox {
  pos: ArrayLike<number>
  size: ArrayLike<number>
}

/** The canvas's view: screen = (graph + offset) × scale. */
export interface View {
  offset: [number, number]
  scale: number
}

interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** Room for a node's title bar, drawn above its position. */
const TITLE = 30

const rectOf = (n: NodeBox): Rect => ({
  x: n.pos[0] ?? 0,
  y: (n.pos[1] ?? 0) - TITLE,
  w: n.size[0] ?? 0,
  h: (n.size[1] ?? 0) + TITLE,
})

/** Is any node at least partly in the screen of `width` × `height` CSS pixels? */
export function anyNodeInView(nodes: readonly NodeBox[], view: View, width: number, height: number): boolean {
  const left = -view.offset[0]
  const top = -view.offset[1]
  const right = left + width / view.scale
  const bottom = top + height / view.scale
  return nodes.some((n) => {
    const r = rectOf(n)
    return r.x < right && r.x + r.w > left && r.y < bottom && r.y + r.h > top
  })
}

/** The view that shows every node, centred, with a margin; never zoomed in past 1. */
export function viewOfAll(nodes: readonly NodeBox[], width: number, height: number): View | undefined {
  if (!nodes.length || width <= 0 || height <= 0) return undefined
  const rects = nodes.map(rectOf)
  const x0 = Math.min(...rects.map((r) => r.x))
  const y0 = Math.min(...rects.map((r) => r.y))
  const x1 = Math.max(...rects.map((r) => r.x + r.w))
  const y1 = Math.max(...rects.map((r) => r.y + r.h))
  const margin = 0.9
  const scale = Math.max(
    0.1,
    Math.min(1, (width / Math.max(1, x1 - x0)) * margin, (height / Math.max(1, y1 - y0)) * margin),
  )
  return {
    scale,
    offset: [width / (2 * scale) - (x0 + x1) / 2, height / (2 * scale) - (y0 + y1) / 2],
  }
}
