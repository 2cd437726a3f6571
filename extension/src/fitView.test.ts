import { describe, expect, it } from 'vitest'
import { anyNodeInView, viewOfAll } from './fitView.js'

const node = (x: number, y: number, w = 200, h = 100) => ({ pos: [x, y], size: [w, h] })

describe('bringing a loaded graph into view', () => {
  it('sees a node that is partly on screen, and none that are all off it', () => {
    const view = { offset: [0, 0] as [number, number], scale: 1 }
    expect(anyNodeInView([node(100, 100)], view, 1000, 800)).toBe(true)
    expect(anyNodeInView([node(-150, 100)], view, 1000, 800)).toBe(true) // its right half shows
    expect(anyNodeInView([node(50_000, 50_000), node(-5000, 0)], view, 1000, 800)).toBe(false)
    // The same node seen through a view moved to it and zoomed out.
    expect(anyNodeInView([node(50_000, 50_000)], { offset: [-49_900, -49_900], scale: 0.5 }, 1000, 800)).toBe(true)
  })

  it('makes a view that shows every node, centred, never zoomed in past 1', () => {
    const nodes = [node(50_000, 50_000), node(51_000, 50_400)]
    const view = viewOfAll(nodes, 1000, 800)!
    expect(view.scale).toBeLessThanOrEqual(1)
    for (const n of nodes) expect(anyNodeInView([n], view, 1000, 800)).toBe(true)
    // Each corner of the bounds is on screen.
    const screen = (x: number, y: number) => [(x + view.offset[0]) * view.scale, (y + view.offset[1]) * view.scale]
    for (const [x, y] of [screen(50_000, 50_000 - 30), screen(51_200, 50_500)])
      expect(x! >= 0 && x! <= 1000 && y! >= 0 && y! <= 800).toBe(true)
    expect(viewOfAll([node(0, 0)], 1000, 800)!.scale).toBe(1)
    expect(viewOfAll([], 1000, 800)).toBeUndefined()
  })
})
