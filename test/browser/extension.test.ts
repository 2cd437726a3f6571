/// <reference lib="dom" />
/**
 * The extension inside the real ComfyUI frontend (comfyui-frontend-package
 * from PyPI, fetched by `npm run frontend:fetch`), in Debian's headless
 * Chromium driven by playwright-core, served by the stand-in with the bridge
 * beside it. Screenshots go to test-artifacts/.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../bridge/bridge.js'
import { startComfyStandIn, type ComfyStandIn } from '../comfyStandIn/server.js'
import { MODE_STYLES } from '../../extension/src/portMode.js'
import { toApiPrompt } from '../../shared/convert/toApiPrompt.js'
import type { UiWorkflow } from '../../shared/workflow/uiWorkflow.js'
import { COMFY_FIXTURES, loadObjectInfo, ORIGINAL_WORKFLOWS } from '../helpers/fixtures.js'
import { CONCAT, SLOW, solidPng } from '../helpers/prompts.js'
import { startRedis } from '../helpers/redis.js'
import type { RunView, ServerInfo } from '../../shared/protocol/index.js'
import { SERVERS_EVERY_MS } from '../../extension/src/state.js'
import { decodePng } from '../../bridge/codec/png.js'
import { imageFromPngs } from '../../bridge/values/valueFrom.js'

const ROOT = resolve(import.meta.dirname, '../..')
const ARTIFACTS = join(ROOT, 'test-artifacts')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const VERSIONS = (process.env.DISCOMFORT_FRONTEND_VERSIONS ?? '1.58.1 1.41.3 1.32.9 1.25.11')
  .split(/\s+/)
  .filter(Boolean)

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })

// biome-ignore lint/suspicious/noExplicitAny: the page's globals are the frontend's own, untyped in this Node-side test
type W = Window & { app: any; LiteGraph: any; discomfortTest: any }

/**
 * Installed in the page: a fresh graph EmptyImage → ImageInvert, and a
 * DiscomfortPort after it (linked to the invert when `linked`).
 */
function installPageHelpers(): void {
  const w = window as unknown as W
  w.discomfortTest = {
    /** A new node of this type on the graph at (x, y). */
    place(type: string, x: number, y = 150) {
      const { app, LiteGraph } = w
      const node = LiteGraph.createNode(type)
      node.pos = [x, y]
      app.graph.add(node)
      return node
    },
    chain(linked: boolean) {
      const { app } = w
      app.graph.clear()
      const { place } = w.discomfortTest
      const img = place('EmptyImage', 50)
      const inv = place('ImageInvert', 400)
      const port = place('DiscomfortPort', 700)
      img.connect(0, inv, 0)
      if (linked) inv.connect(0, port, 0)
      return { img, inv, port }
    },
    /** EmptyImage → ImageInvert → port → ImageInvert (a PASSTHRU port carrying IMAGE). */
    passthru() {
      const { LiteGraph, app } = w
      const made = w.discomfortTest.chain(true)
      const after = LiteGraph.createNode('ImageInvert')
      after.pos = [1000, 150]
      app.graph.add(after)
      made.port.connect(0, after, 0)
      const id = made.port.widgets.find((x: { name: string }) => x.name === 'unique_id')
      id.value = 'p'
      id.callback?.('p')
      return { ...made, after }
    },
    /** What the port shows: mode, title, colour, carried type. */
    async seen(port: { properties: Record<string, unknown>; title: string; color: string }) {
      await new Promise((r) => setTimeout(r, 0))
      return { mode: port.properties.discomfortMode, title: port.title, color: port.color }
    },
  }
}

/**
 * Answer the frontend's own dialog open now: type `text` into its field and press Enter (a
 * prompt), or click its button named `button` (a confirm). Waits until it has closed.
 */
async function answerDialog(page: Page, o: { text: string } | { button: RegExp }): Promise<void> {
  const dialog = page.locator('[role=dialog]').last()
  await dialog.waitFor({ timeout: 10_000 })
  if ('text' in o) {
    const input = dialog.locator('input').first()
    await input.fill(o.text)
    await input.press('Enter')
  } else await dialog.getByRole('button', { name: o.button }).click()
  await page.waitForFunction(() => !document.querySelector('[role=dialog]'), null, { timeout: 10_000 })
}

/** Where ComfyUI shows a message about a queued prompt: a toast, a dialog, or (1.58+) its error overlay. */
const MESSAGE_SURFACES = '.p-toast-message, .p-dialog, [data-testid=error-overlay]'

/** The messages on the page now, and their text. */
const messagesShown = (page: Page) =>
  page.evaluate(
    (selector) =>
      Array.from(document.querySelectorAll(selector))
        .filter((e) => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed')
        .map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
    MESSAGE_SURFACES,
  )

/** Close what the last queueing showed (Escape, then each close button), so the next starts from nothing. */
async function dismissMessages(page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  for (let i = 0; i < 10 && (await messagesShown(page)).length; i++) {
    await page.evaluate((selector) => {
      for (const e of Array.from(document.querySelectorAll(selector))) {
        const close = e.querySelector(
          '.p-dialog-close-button, .p-toast-close-button, button[aria-label="Close"], button:has(.pi-times), button:has([class*="close"])',
        )
        ;(close as HTMLElement | null)?.click()
      }
    }, MESSAGE_SURFACES)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** A node's box on the screen: its DOM element with Vue-rendered nodes, else its bounds on the canvas. */
const nodeBox = (page: Page, id: string) =>
  page.evaluate((nodeId) => {
    const el = document.querySelector(`[data-node-id="${nodeId}"]`)
    if (el) {
      const r = el.getBoundingClientRect()
      return { x: r.left, y: r.top, width: r.width, height: r.height }
    }
    const { app } = window as unknown as W
    const node = app.graph.getNodeById(Number(nodeId)) ?? app.graph.getNodeById(nodeId)
    const [x, y, w, h] = node.getBounding()
    const { ds, canvas } = app.canvas
    const r = canvas.getBoundingClientRect()
    return {
      x: r.left + (x + ds.offset[0]) * ds.scale,
      y: r.top + (y + ds.offset[1]) * ds.scale,
      width: w * ds.scale,
      height: h * ds.scale,
    }
  }, id)

/** A screenshot of a node's box and a margin around it, as RGBA, and where it was taken. */
async function nodeShot(page: Page, id: string) {
  const box = await nodeBox(page, id)
  const margin = 14
  const clip = {
    x: Math.max(0, Math.round(box.x - margin)),
    y: Math.max(0, Math.round(box.y - margin)),
    width: Math.round(box.width + 2 * margin),
    height: Math.round(box.height + 2 * margin),
  }
  return { clip, png: decodePng(new Uint8Array(await page.screenshot({ clip }))) }
}

const isRed = (rgba: Uint8Array, i: number) => rgba[i]! >= 120 && rgba[i]! - Math.max(rgba[i + 1]!, rgba[i + 2]!) >= 70

/**
 * The red a refusal drew on and around a node: pixels red in a screenshot taken after it that were
 * not red in one taken before, same place (the outline ComfyUI draws for a validation error).
 */
async function redDrawn(before: Awaited<ReturnType<typeof nodeShot>>, page: Page): Promise<number> {
  const after = decodePng(new Uint8Array(await page.screenshot({ clip: before.clip })))
  let count = 0
  for (let i = 0; i < after.rgba.length; i += 4) if (isRed(after.rgba, i) && !isRed(before.png.rgba, i)) count++
  return count
}

/** Put the view where every node of these tests is on the screen, at scale 1. */
const resetView = (page: Page) =>
  page.evaluate(() => {
    const { app } = window as unknown as W
    app.canvas.ds.offset = [0, 0]
    app.canvas.ds.scale = 1
    app.canvas.setDirty(true, true)
  })

/**
 * A refused run is drawn as ComfyUI draws its own validation error: one message (no "Job queued",
 * no second toast), naming every missing key (in the message, or in the errors panel it opens),
 * each port outlined in red as ComfyUI outlines its own node, nothing else outlined, no seed moved.
 */
function expectDrawnAsNative(r: Awaited<ReturnType<typeof refusalBesideNative>>): void {
  expect(r.native.messages, 'ComfyUI shows its own refusal once').toHaveLength(1)
  expect(r.native.red, 'ComfyUI outlines its own node in red').toBeGreaterThan(40)
  expect(r.ours.messages, JSON.stringify(r.ours.messages)).toHaveLength(1)
  // The one message is the refusal: not a "Job queued" toast (the queue's own progress pill may show earlier jobs).
  expect(r.ours.messages.join(' ')).not.toMatch(/Job queued/)
  for (const red of r.ours.ports) expect(red, 'each port at fault is outlined').toBeGreaterThan(40)
  expect(r.ours.healthy, 'a node not at fault is not').toBeLessThan(10)
  expect(r.ours.seed).toBe(1234)
  expect(r.ours.named).toContain('not_there')
  expect(r.ours.named).toContain('nor_this')
}

/**
 * What a refused run draws against what ComfyUI draws for its own validation error, in one page:
 * a native one first (ImageInvert with nothing on its input), then two INPUT ports whose keys the
 * context lacks. Returns both, as drawn.
 */
async function refusalBesideNative(page: Page, contextId: string, shots: string) {
  await dismissMessages(page)
  const queue = () => page.evaluate(() => (window as unknown as W).app.queuePrompt(0, 1))
  const nativeId = await page.evaluate(() => {
    const { app, discomfortTest } = window as unknown as W
    app.graph.clear()
    const inv = discomfortTest.place('ImageInvert', 300, 250)
    inv.connect(0, discomfortTest.place('PreviewImage', 650, 250), 0)
    return String(inv.id)
  })
  await resetView(page)
  await new Promise((r) => setTimeout(r, 300))
  const nativeBefore = await nodeShot(page, nativeId)
  await queue()
  await new Promise((r) => setTimeout(r, 800))
  const nativeMessages = await messagesShown(page)
  // Outlines are read with the message closed: a dialog's mask dims the canvas, an overlay may cover a node.
  await dismissMessages(page)
  const native = { messages: nativeMessages, red: await redDrawn(nativeBefore, page) }
  const ours = await page.evaluate((ctx) => {
    const { app, discomfortTest } = window as unknown as W
    // Removed one by one, not cleared: new nodes get new ids, none the native error still names.
    for (const node of [...app.graph.nodes]) app.graph.remove(node)
    const ports: string[] = []
    for (const [i, key] of ['not_there', 'nor_this'].entries()) {
      const y = 150 + i * 320
      const port = discomfortTest.place('DiscomfortPort', 100, y)
      const inv = discomfortTest.place('ImageInvert', 480, y)
      port.connect(0, inv, 0)
      inv.connect(0, discomfortTest.place('PreviewImage', 760, y), 0)
      const id = port.widgets.find((w: { name: string }) => w.name === 'unique_id')
      id.value = key
      id.callback?.(key)
      ports.push(String(port.id))
    }
    // A seed with control_after_generate: nothing ran, so it must not move.
    const seeded = discomfortTest.place('KSampler', 1050, 150)
    const seed = seeded.widgets.find((w: { name: string }) => w.name === 'seed')
    seed.value = 1234
    const control = seeded.widgets.find((w: { name: string }) => w.name === 'control_after_generate')
    if (control) control.value = 'randomize'
    ;(window as unknown as { discomfort: { store: { setActive(id: string): void } } }).discomfort.store.setActive(ctx)
    const healthy = String(app.graph.nodes.find((n: { type: string }) => n.type === 'ImageInvert').id)
    return { ports, healthy }
  }, contextId)
  await resetView(page)
  await new Promise((r) => setTimeout(r, 300))
  const portsBefore = await Promise.all(ours.ports.map((id) => nodeShot(page, id)))
  const healthyBefore = await nodeShot(page, ours.healthy)
  await queue()
  await new Promise((r) => setTimeout(r, 800))
  const seed = await page.evaluate(
    () =>
      (window as unknown as W).app.graph.nodes
        .find((n: { type: string }) => n.type === 'KSampler')
        .widgets.find((w: { name: string }) => w.name === 'seed').value,
  )
  const messages = await messagesShown(page)
  await page.screenshot({ path: join(ARTIFACTS, `${shots}.png`) })
  // The keys at fault: in the message, or (frontends whose overlay says how many) in the errors panel it opens.
  let named = messages.join(' ')
  const seeErrors = page.getByRole('button', { name: /see errors|view details/i })
  if (!(named.includes('not_there') && named.includes('nor_this')) && (await seeErrors.count())) {
    await seeErrors.first().click()
    await page
      .waitForFunction(() => document.body.innerText.includes('nor_this'), null, { timeout: 5000 })
      .catch(() => {})
    named = await page.evaluate(() => document.body.innerText)
    await page.screenshot({ path: join(ARTIFACTS, `${shots}-errors-panel.png`) })
  }
  await dismissMessages(page)
  const drawn = {
    messages,
    named,
    ports: await Promise.all(portsBefore.map((before) => redDrawn(before, page))),
    healthy: await redDrawn(healthyBefore, page),
    seed,
  }
  return { native, ours: drawn }
}

/**
 * At the sidebar's default width nothing is wider than the panel or scrolls sideways, no icon
 * button (on a row, or in a section's header) is cut, and every cut text has its whole in a tooltip.
 */
const panelFits = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('.discomfort') as HTMLElement
    el.style.width = ''
    let scroller: HTMLElement | null = el.parentElement
    while (scroller && scroller.scrollWidth <= scroller.clientWidth && scroller !== document.body)
      scroller = scroller.parentElement
    const sideways = scroller && scroller !== document.body ? scroller.scrollWidth - scroller.clientWidth : 0
    // Icon buttons are never cut; cut text is, with its whole in a tooltip.
    const cutButtons = Array.from(el.querySelectorAll('td.act, .item .actions, .servers-head .tools'))
      .filter((n) => (n as HTMLElement).scrollWidth > (n as HTMLElement).clientWidth + 1)
      .map((n) => {
        const row = n.closest('[data-key], [data-context], [data-server]')
        return (
          row?.getAttribute('data-key') ??
          row?.getAttribute('data-context') ??
          row?.getAttribute('data-server') ??
          'a header'
        )
      })
    const cut = Array.from(el.querySelectorAll('.name, .meta, .status, td'))
      .filter((n) => (n as HTMLElement).scrollWidth > (n as HTMLElement).clientWidth + 1)
      .filter((n) => !(n.closest('[title]')?.getAttribute('title') ?? '').includes(n.textContent ?? ''))
      .map((n) => n.textContent)
    return {
      overflow: el.scrollWidth - el.clientWidth,
      sideways,
      width: el.clientWidth,
      cutButtons,
      cutWithoutTooltip: cut,
    }
  })

describe.each(VERSIONS)('the extension in the real ComfyUI frontend %s', (version) => {
  let comfy: ComfyStandIn
  let bridge: Bridge
  let browser: Browser
  let page: Page
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${version}-${name}.png`) })
  /** The browser's own prompt()/alert()/confirm() dialogs the page opened (none is right). */
  const browserDialogs: string[] = []
  /** Wait until the <img> at `selector` has loaded an image. */
  const imageShown = (selector: string) =>
    page.waitForFunction(
      (sel) => {
        const img = document.querySelector(sel) as HTMLImageElement | null
        return img?.complete && img.naturalWidth > 0
      },
      selector,
      { timeout: 10_000 },
    )
  /** Make a context the panel's active one. */
  const setActive = (id: string) =>
    page.evaluate(
      (ctx) =>
        (window as unknown as { discomfort: { store: { setActive(id: string): void } } }).discomfort.store.setActive(
          ctx,
        ),
      id,
    )

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    comfy = await startComfyStandIn({
      frontendDir: join(ROOT, '.frontends', version, 'static'),
      extensions: { discomfort: join(ROOT, 'web') },
    })
    // On a port of its own and with no URL in the page's settings: the page finds it (the bridge announces itself to its ComfyUI).
    bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'browser-bridge-')) })
    await bridge.store.create({ id: 'page-ctx', name: 'browser test' })
    await fetch(`${comfy.url}/api/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'Comfy.TutorialCompleted': true }),
    })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.addInitScript(installPageHelpers)
    // Every question and message goes through the frontend's own dialogs and toasts: a browser one is a defect.
    page.on('dialog', (d) => {
      // Leaving the page with unsaved changes is the frontend's own question, answered as a user reloading would.
      if (d.type() === 'beforeunload') return void d.accept()
      browserDialogs.push(`${d.type()}: ${d.message()}`)
      void d.dismiss()
    })
    await page.goto(comfy.url)
    await page.waitForFunction(
      () =>
        (window as unknown as W).app?.graph != null &&
        (window as unknown as W).LiteGraph?.registered_node_types?.DiscomfortPort != null,
      null,
      { timeout: 60_000 },
    )
    await page.evaluate(() => localStorage.setItem('Discomfort.ActiveContext', 'page-ctx'))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await bridge?.close()
    await comfy?.close()
  })

  it('finds the node in the node library under Discomfort', async () => {
    await page.evaluate(() => (window as unknown as W).app.graph.clear())
    const libraryButton = page.locator('.node-library-tab-button, button[aria-label^="Node Library"]').first()
    await libraryButton.click()
    await page.locator('input[placeholder*="Search"]').first().fill('Discomfort')
    await page.waitForFunction(() => document.body.innerText.includes('Discomfort Port'), null, { timeout: 10_000 })
    await shot('node-library')
    await libraryButton.click()
  })

  it('changes mode on connect and disconnect', async () => {
    const seen = await page.evaluate(() => {
      const { app, LiteGraph } = window as unknown as W
      const { inv, port } = (window as unknown as W).discomfortTest.chain(false)
      const modes = [port.properties.discomfortMode]
      inv.connect(0, port, 0)
      modes.push(port.properties.discomfortMode)
      const after = LiteGraph.createNode('ImageInvert')
      after.pos = [1000, 150]
      app.graph.add(after)
      port.connect(0, after, 0)
      modes.push(port.properties.discomfortMode)
      port.disconnectInput(0)
      modes.push(port.properties.discomfortMode, port.title)
      return modes
    })
    expect(seen).toEqual(['INPUT', 'OUTPUT', 'PASSTHRU', 'INPUT', '▶ (no unique_id) · INPUT · IMAGE'])
    await shot('modes')
  })

  describe('follows every way a link goes away', () => {
    const OUTPUT = { mode: 'OUTPUT', title: '◀ p · OUTPUT · IMAGE', color: MODE_STYLES.OUTPUT.color }
    const INPUT = { mode: 'INPUT', title: '▶ p · INPUT', color: MODE_STYLES.INPUT.color }
    const INPUT_TYPED = { mode: 'INPUT', title: '▶ p · INPUT · IMAGE', color: MODE_STYLES.INPUT.color }
    const cases: Array<[string, string, typeof OUTPUT]> = [
      ['the port disconnects its output', 'port.disconnectOutput(0)', OUTPUT],
      ['the port disconnects its input', 'port.disconnectInput(0)', INPUT_TYPED],
      ['the next node disconnects its input', 'after.disconnectInput(0)', OUTPUT],
      ['the previous node disconnects its output', 'inv.disconnectOutput(0)', INPUT_TYPED],
      ['the outgoing link is deleted', 'app.graph.removeLink(port.outputs[0].links[0])', OUTPUT],
      ['the incoming link is deleted', 'app.graph.removeLink(port.inputs[0].link)', INPUT_TYPED],
      ['the next node is removed', 'app.graph.remove(after)', OUTPUT],
      ['the previous node is removed', 'app.graph.remove(inv)', INPUT_TYPED],
      ['both neighbours are removed', 'app.graph.remove(inv); app.graph.remove(after)', INPUT],
    ]
    it.each(cases)('%s', async (_name, action, want) => {
      const seen = await page.evaluate(async (act) => {
        const w = window as unknown as W
        const { port, inv, after } = w.discomfortTest.passthru()
        const before = await w.discomfortTest.seen(port)
        new Function('app', 'port', 'inv', 'after', act)(w.app, port, inv, after)
        return { before, after: await w.discomfortTest.seen(port) }
      }, action)
      expect(seen.before).toEqual({
        mode: 'PASSTHRU',
        title: '⇄ p · PASSTHRU · IMAGE',
        color: MODE_STYLES.PASSTHRU.color,
      })
      expect(seen.after).toEqual(want)
    })
    it('undo after a link is deleted brings PASSTHRU back', async () => {
      const seen = await page.evaluate(async () => {
        const w = window as unknown as W
        const { app } = w
        w.discomfortTest.passthru()
        const tracker =
          app.workflowManager?.activeWorkflow?.changeTracker ??
          app.extensionManager?.workflow?.activeWorkflow?.changeTracker
        tracker.checkState()
        const port = () => app.graph.nodes.find((n: { type: string }) => n.type === 'DiscomfortPort')
        app.graph.removeLink(port().outputs[0].links[0])
        tracker.checkState()
        const removed = await w.discomfortTest.seen(port())
        await tracker.undo()
        return { removed, undone: await w.discomfortTest.seen(port()) }
      })
      expect(seen.removed).toEqual(OUTPUT)
      expect(seen.undone).toEqual({
        mode: 'PASSTHRU',
        title: '⇄ p · PASSTHRU · IMAGE',
        color: MODE_STYLES.PASSTHRU.color,
      })
    })
  })

  it("converts a PrimitiveNode's numbers as this frontend's widgets round them, and so does the converter", async () => {
    // EmptyImage → ImageBlur, whose blur_radius (INT) and sigma (FLOAT, step 0.1, max 10) come from
    // PrimitiveNodes, and an EmptyLatentImage whose width (INT, step 8) comes from one.
    const primitive = (id: number, type: string, widget: string, value: number, link: number) => ({
      id,
      type: 'PrimitiveNode',
      pos: [50, 200 + id * 80],
      outputs: [{ name: type, type, links: [link], widget: { name: widget } }],
      widgets_values: [value, 'fixed'],
    })
    const workflow = {
      last_node_id: 8,
      last_link_id: 5,
      nodes: [
        {
          id: 1,
          type: 'EmptyImage',
          pos: [300, 100],
          outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [1] }],
          widgets_values: [64, 64, 1, 0],
        },
        {
          id: 2,
          type: 'ImageBlur',
          pos: [600, 100],
          inputs: [
            { name: 'image', type: 'IMAGE', link: 1 },
            { name: 'blur_radius', type: 'INT', link: 2, widget: { name: 'blur_radius' } },
            { name: 'sigma', type: 'FLOAT', link: 3, widget: { name: 'sigma' } },
          ],
          outputs: [{ name: 'IMAGE', type: 'IMAGE', links: [] }],
          widgets_values: [1, 1],
        },
        {
          id: 3,
          type: 'EmptyLatentImage',
          pos: [600, 400],
          inputs: [{ name: 'width', type: 'INT', link: 4, widget: { name: 'width' } }],
          outputs: [{ name: 'LATENT', type: 'LATENT', links: [] }],
          widgets_values: [512, 512, 1],
        },
        primitive(4, 'INT', 'blur_radius', 2.6, 2),
        primitive(5, 'FLOAT', 'sigma', 3.25, 3),
        primitive(6, 'INT', 'width', 101, 4),
      ],
      links: [
        [1, 1, 0, 2, 0, 'IMAGE'],
        [2, 4, 0, 2, 1, 'INT'],
        [3, 5, 0, 2, 2, 'FLOAT'],
        [4, 6, 0, 3, 0, 'INT'],
      ],
      version: 0.4,
    }
    const sent = async (sigma: number) => {
      const wf = structuredClone(workflow)
      wf.nodes[4]!.widgets_values = [sigma, 'fixed']
      const output = await page.evaluate(async (w) => {
        const { app } = window as unknown as W
        await app.loadGraphData(w)
        return (await app.graphToPrompt()).output
      }, wf)
      return { output, ours: toApiPrompt(wf as unknown as UiWorkflow, loadObjectInfo(), { frontendVersion: version }) }
    }
    const a = await sent(3.25)
    expect(a.output['2'].inputs).toMatchObject({ blur_radius: 3, sigma: 3.3 })
    expect(a.output['3'].inputs.width).toBe(104)
    expect(a.ours).toEqual(a.output)
    const b = await sent(12.34)
    expect(b.output['2'].inputs.sigma).toBe(10)
    expect(b.ours).toEqual(b.output)
  })

  it('loads a workflow saved by the original Discomfort, keeping its values', async () => {
    const workflow = JSON.parse(readFileSync(join(ORIGINAL_WORKFLOWS, 'discomfort_test1.json'), 'utf8'))
    const ports = await page.evaluate(async (wf) => {
      const { app } = window as unknown as W
      await app.loadGraphData(wf)
      return (
        app.graph.nodes as Array<{
          type: string
          widgets: Array<{ name: string; value: unknown }>
          properties: { discomfortMode?: string }
        }>
      )
        .filter((n) => n.type === 'DiscomfortPort')
        .map((n) => `${n.widgets.find((w) => w.name === 'unique_id')!.value}:${n.properties.discomfortMode}`)
        .sort()
    }, workflow)
    expect(ports).toEqual(['cfg:INPUT', 'output_image:OUTPUT', 'seed:INPUT'])
    // No node came in as a missing-type placeholder.
    const unknown = await page.evaluate(() => {
      const { app, LiteGraph } = window as unknown as W
      return (app.graph.nodes as Array<{ type: string }>)
        .filter((n) => !LiteGraph.registered_node_types[n.type])
        .map((n) => n.type)
    })
    expect(unknown).toEqual([])
    await shot('original-workflow')
  })

  it('runs from the page: the OUTPUT lands in the context and shows in the sidebar with its thumbnail', async () => {
    const ctx = bridge.store.get('page-ctx')!
    await page.evaluate(async () => {
      const { app } = window as unknown as W
      const { port } = (window as unknown as W).discomfortTest.chain(true)
      port.widgets.find((w: { name: string }) => w.name === 'unique_id').value = 'page_image'
      await app.queuePrompt(0, 1)
    })
    for (let i = 0; i < 100 && !ctx.has('page_image'); i++) await new Promise((r) => setTimeout(r, 100))
    expect(ctx.meta('page_image')).toMatchObject({ comfyType: 'IMAGE', kind: 'image' })
    await page.locator('.pi-database').first().click()
    const row = page.locator('[data-testid=discomfort-keys] tr[data-key=page_image]')
    await row.waitFor({ timeout: 10_000 })
    await imageShown('[data-testid=discomfort-keys] tr[data-key=page_image] img')
    expect(await row.innerText()).toMatch(/IMAGE/)
    expect(await page.locator('[data-testid=discomfort-status]').innerText()).toMatch(/Bridge connected/)
    await shot('run-from-page')
    await page.locator('.pi-database').first().click()
  })

  it("shows a sweep's progress in the panel, live", async () => {
    const concat = {
      '1': { class_type: 'DiscomfortPort', inputs: { unique_id: 'text' } },
      '2': { class_type: 'StringConcatenate', inputs: { string_a: ['1', 0], string_b: '!', delimiter: '' } },
      '3': { class_type: 'DiscomfortPort', inputs: { unique_id: 'out', input_data: ['2', 0] } },
    }
    await page.locator('.pi-database').first().click()
    const res = await fetch(`${bridge.url}/api/sweeps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workflows: [{ name: 'concat.json', workflow: concat }],
        vary: { text: ['a', 'b', 'c'] },
        label: 'three texts',
      }),
    })
    const sweep = (await res.json()) as { id: string }
    const line = page.locator(`[data-testid=discomfort-sweeps] [data-sweep="${sweep.id}"]`)
    await line.waitFor({ timeout: 10_000 })
    await page.waitForFunction(
      (id) => document.querySelector(`[data-sweep="${id}"]`)?.classList.contains('succeeded'),
      sweep.id,
      { timeout: 15_000 },
    )
    expect(await line.locator('.name').innerText()).toBe('three texts')
    expect(await line.locator('.meta').innerText()).toBe('3/3')
    expect(await line.locator('.pi-check').count()).toBe(1)
    await shot('sweep-progress')
    await page.locator('.pi-database').first().click()
  })

  it('after a page reload the panel still lists the runs (the bridge keeps their history)', async () => {
    await page.reload()
    await page.waitForFunction(() => (window as unknown as W).app?.graph != null, null, { timeout: 60_000 })
    await page.locator('.pi-database').first().click()
    await page
      .locator('[data-testid=discomfort-runs] [data-run][data-status=succeeded] .pi-check')
      .first()
      .waitFor({ timeout: 15_000 })
    await shot('runs-after-reload')
    await page.locator('.pi-database').first().click()
  })

  it('puts values into the context from the panel: typed, uploaded, dropped', async () => {
    const ctx = bridge.store.get('page-ctx')!
    await page.locator('.pi-database').first().click()
    await page.locator('[data-testid=discomfort-new-key]').fill('greeting')
    await page.locator('[data-testid=discomfort-new-value]').fill('hello')
    await page.locator('[data-testid=discomfort-save-value]').click()
    await page.locator('[data-testid=discomfort-keys] tr[data-key=greeting]').waitFor({ timeout: 10_000 })
    expect(await page.locator('[data-testid=discomfort-keys] tr[data-key=greeting]').innerText()).toMatch(/hello/)

    await page.locator('[data-testid=discomfort-new-key]').fill('steps')
    await page.locator('[data-testid=discomfort-new-kind]').selectOption('number')
    await page.locator('[data-testid=discomfort-new-value]').fill('twenty')
    await page.locator('[data-testid=discomfort-save-value]').click()
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=discomfort-form-message]')?.textContent?.includes('not a number'),
    )
    expect(ctx.has('steps')).toBe(false)

    await page.locator('[data-testid=discomfort-new-key]').fill('')
    await page.locator('[data-testid=discomfort-upload]').setInputFiles({
      name: 'red square.png',
      mimeType: 'image/png',
      buffer: Buffer.from(solidPng(8, 8, [255, 0, 0])),
    })
    await page.locator('[data-testid=discomfort-keys] tr[data-key="red square"] img').waitFor({ timeout: 10_000 })

    const latent = readFileSync(join(COMFY_FIXTURES, 'empty_64x64.latent')).toString('base64')
    const graphBefore = await page.evaluate(() => (window as unknown as W).app.graph.nodes.length)
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], 'noise.latent'))
      const panel = document.querySelector('.discomfort')!
      panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      panel.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    }, latent)
    await page.locator('[data-testid=discomfort-keys] tr[data-key=noise]').waitFor({ timeout: 10_000 })
    // The drop went to the panel only: ComfyUI did not open the file as a workflow.
    await new Promise((r) => setTimeout(r, 500))
    expect(await page.evaluate(() => (window as unknown as W).app.graph.nodes.length)).toBe(graphBefore)
    expect([ctx.meta('greeting')?.kind, ctx.meta('red square')?.comfyType, ctx.meta('noise')?.comfyType]).toEqual([
      'string',
      'IMAGE',
      'LATENT',
    ])
    // An image dragged from ComfyUI's queue or assets panel arrives as its /view URL.
    writeFileSync(join(comfy.folders.output, 'ComfyUI_00042_.png'), solidPng(6, 6, [255, 255, 0]))
    await page.evaluate(() => {
      const dt = new DataTransfer()
      dt.setData('text/uri-list', `${location.origin}/api/view?filename=ComfyUI_00042_.png&type=output&subfolder=`)
      const panel = document.querySelector('.discomfort')!
      panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }))
      panel.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }))
    })
    await page.locator('[data-testid=discomfort-keys] tr[data-key=ComfyUI_00042_] img').waitFor({ timeout: 10_000 })
    expect(await ctx.load('ComfyUI_00042_')).toMatchObject({ kind: 'image', width: 6, height: 6 })
    await ctx.delete('ComfyUI_00042_')
    await shot('values-from-page')
    // A click on a value puts it back in the form, to change it.
    await page.locator('[data-testid=discomfort-keys] tr[data-key=greeting] td.editable').click()
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=discomfort-new-value]') as HTMLInputElement).value === 'hello',
    )
    for (const k of ['greeting', 'red square', 'noise']) await ctx.delete(k)
    await page.locator('.pi-database').first().click()
  })

  it('an INPUT port shows its image from the context, and sets its value right on the node', async () => {
    const ctx = bridge.store.get('page-ctx')!
    await ctx.save('pic', { kind: 'image', frames: [solidPng(8, 8, [0, 255, 0])], width: 8, height: 8 })
    await ctx.save('word', { kind: 'string', value: 'before' })
    const shown = await page.evaluate(async () => {
      const w = window as unknown as W
      const { app, LiteGraph } = w
      app.graph.clear()
      const port = LiteGraph.createNode('DiscomfortPort')
      port.pos = [100, 100]
      app.graph.add(port)
      const inv = LiteGraph.createNode('ImageInvert')
      inv.pos = [500, 100]
      app.graph.add(inv)
      port.connect(0, inv, 0)
      const id = port.widgets.find((x: { name: string }) => x.name === 'unique_id')
      id.value = 'pic'
      id.callback?.('pic')
      app.canvas.ds.offset = [0, 0]
      app.canvas.ds.scale = 1
      app.canvas.setDirty(true, true)
      const img = () => document.querySelector('img.discomfort-preview') as HTMLImageElement | null
      for (let i = 0; i < 50 && !(img()?.complete && img()!.naturalWidth > 0); i++)
        await new Promise((r) => setTimeout(r, 100))
      await new Promise((r) => setTimeout(r, 300))
      const box = img()?.getBoundingClientRect()
      return {
        src: img()?.src ?? '',
        natural: img()?.naturalWidth ?? 0,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
      }
    })
    // The user sees it: the image element is on the page, loaded, with room under the node's widgets.
    expect(shown.src).toContain('/values/pic/thumbnail')
    expect(shown.natural).toBeGreaterThan(0)
    expect(shown.width).toBeGreaterThan(50)
    expect(shown.height).toBeGreaterThan(50)
    await shot('input-port-preview')

    // "set value" on an IMAGE port asks for a PNG.
    const before = ctx.meta('pic')!.version
    const chooser = page.waitForEvent('filechooser')
    await page.evaluate(() => {
      const port = (window as unknown as W).app.graph.nodes.find((n: { type: string }) => n.type === 'DiscomfortPort')
      port.widgets.find((x: { name: string }) => x.name === 'set value').callback()
    })
    await (await chooser).setFiles({
      name: 'blue.png',
      mimeType: 'image/png',
      buffer: Buffer.from(solidPng(4, 4, [0, 0, 255])),
    })
    for (let i = 0; i < 50 && ctx.meta('pic')!.version === before; i++) await new Promise((r) => setTimeout(r, 100))
    expect(await ctx.load('pic')).toMatchObject({ kind: 'image', width: 4, height: 4 })

    // On a STRING port it asks for text, in the frontend's own prompt dialog.
    await page.evaluate(() => {
      const w = window as unknown as W
      const { app, LiteGraph } = w
      app.graph.clear()
      const port = LiteGraph.createNode('DiscomfortPort')
      app.graph.add(port)
      const cat = LiteGraph.createNode('StringConcatenate')
      cat.pos = [400, 0]
      app.graph.add(cat)
      port.connect(0, cat, 0)
      const id = port.widgets.find((x: { name: string }) => x.name === 'unique_id')
      id.value = 'word'
      id.callback?.('word')
      port.widgets.find((x: { name: string }) => x.name === 'set value').callback()
    })
    await shot('set-value-dialog')
    await answerDialog(page, { text: 'after' })
    for (let i = 0; i < 50; i++) {
      const v = await ctx.load('word')
      if (v.kind === 'string' && v.value === 'after') break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(await ctx.load('word')).toEqual({ kind: 'string', value: 'after' })
    await ctx.delete('pic')
    await ctx.delete('word')
  })

  it('a workflow opened with its view far from its nodes is brought into view', async () => {
    const inView = await page.evaluate(async () => {
      const { app } = window as unknown as W
      const node = (id: number, x: number) => ({
        id,
        type: 'EmptyImage',
        pos: [x, 50_000],
        size: [315, 130],
        flags: {},
        order: 0,
        mode: 0,
        inputs: [],
        outputs: [{ name: 'IMAGE', type: 'IMAGE', links: null }],
        properties: {},
        widgets_values: [64, 64, 1, 0],
      })
      // Saved on another screen: its view looks at the origin, its nodes are 50,000 px away.
      await app.loadGraphData({
        last_node_id: 2,
        last_link_id: 0,
        nodes: [node(1, 50_000), node(2, 50_600)],
        links: [],
        groups: [],
        config: {},
        extra: { ds: { offset: [0, 0], scale: 1 } },
        version: 0.4,
      })
      await new Promise((r) => setTimeout(r, 300))
      const el = app.canvas.canvas as HTMLCanvasElement
      const { offset, scale } = app.canvas.ds
      const left = -offset[0]
      const top = -offset[1]
      return app.graph.nodes.filter(
        (n: { pos: number[]; size: number[] }) =>
          n.pos[0]! < left + el.clientWidth / scale &&
          n.pos[0]! + n.size[0]! > left &&
          n.pos[1]! < top + el.clientHeight / scale &&
          n.pos[1]! + n.size[1]! > top,
      ).length
    })
    expect(inView).toBe(2)
    await shot('opened-off-screen')
  })

  it('done without a script: new context, upload, run from the page, see the output, reload, change the value, run again', async () => {
    const panel = page.locator('.discomfort')
    const toggle = () => page.locator('.pi-database').first().click()
    const pixel = async (contextId: string, key: string) => {
      const res = await fetch(`${bridge.url}/api/contexts/${contextId}/values/${key}?format=raw`)
      return Array.from(decodePng(new Uint8Array(await res.arrayBuffer())).rgba.subarray(0, 3))
    }
    // 1. A new context, kept (durable) from the panel.
    await toggle()
    await page.locator('[data-testid=discomfort-status]').waitFor({ timeout: 10_000 })
    const before = new Set(bridge.store.list().map((c) => c.id))
    await panel.getByRole('button', { name: 'New context' }).click()
    await answerDialog(page, { text: 'my first context' })
    let id = ''
    for (let i = 0; i < 50 && !id; i++) {
      id = bridge.store.list().find((c) => !before.has(c.id))?.id ?? ''
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(id).not.toBe('')
    const row = page.locator(`[data-testid=discomfort-contexts] [data-context="${id}"]`)
    await page.waitForFunction(
      (ctx) => document.querySelector(`[data-context="${ctx}"]`)?.getAttribute('aria-selected') === 'true',
      id,
    )
    expect(await row.locator('.name').innerText()).toBe('my first context')
    await row.locator('[data-testid=discomfort-keep]').click()
    await row.locator('.pi-save').waitFor({ timeout: 10_000 })
    expect(bridge.store.get(id)!.durable).toBe(true)
    await expect(row.locator('[data-testid=discomfort-keep]').count()).resolves.toBe(0)
    await shot('walk-1-new-context')

    // 2. An image uploaded into a key.
    await page.locator('[data-testid=discomfort-upload]').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(solidPng(16, 16, [200, 30, 10])),
    })
    await page.locator('[data-testid=discomfort-keys] tr[data-key=photo] img').waitFor({ timeout: 10_000 })
    await shot('walk-2-uploaded')

    // 3. A workflow with ports, queued from the page as the Queue button does.
    await page.evaluate(async () => {
      const { app, LiteGraph } = window as unknown as W
      app.graph.clear()
      const add = (type: string, x: number) => {
        const node = LiteGraph.createNode(type)
        node.pos = [x, 120]
        app.graph.add(node)
        return node
      }
      const input = add('DiscomfortPort', 60)
      const invert = add('ImageInvert', 420)
      const output = add('DiscomfortPort', 720)
      input.connect(0, invert, 0)
      invert.connect(0, output, 0)
      for (const [port, key] of [
        [input, 'photo'],
        [output, 'inverted'],
      ] as const) {
        const w = port.widgets.find((x: { name: string }) => x.name === 'unique_id')
        w.value = key
        w.callback?.(key)
      }
      app.canvas.ds.offset = [0, 0]
      app.canvas.ds.scale = 1
      await app.queuePrompt(0, 1)
    })

    // 4. The result on the OUTPUT port and in the panel.
    await page.locator('[data-testid=discomfort-keys] tr[data-key=inverted] img').waitFor({ timeout: 15_000 })
    // Inverted (ComfyUI's float → byte conversion truncates: within 1 of 255 − x).
    const inverted = (rgb: number[], of: number[]) => rgb.every((c, i) => Math.abs(c - (255 - of[i]!)) <= 1)
    expect(inverted(await pixel(id, 'inverted'), [200, 30, 10])).toBe(true)
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('img.discomfort-preview')).some(
          (img) =>
            (img as HTMLImageElement).src.includes('/values/inverted/') && (img as HTMLImageElement).naturalWidth > 0,
        ),
      null,
      { timeout: 10_000 },
    )
    await page.locator('[data-testid=discomfort-view-gallery]').click()
    await page.locator('[data-testid=discomfort-gallery] [data-key=inverted] img').waitFor({ timeout: 10_000 })
    expect(await page.locator('[data-testid=discomfort-gallery] [data-key]').count()).toBe(2)
    await shot('walk-3-output')

    // 5. After a reload: the run, the context and its values are still there.
    await page.reload()
    await page.waitForFunction(() => (window as unknown as W).app?.graph != null, null, { timeout: 60_000 })
    await toggle()
    await page.locator('[data-testid=discomfort-keys] tr[data-key=inverted]').waitFor({ timeout: 15_000 })
    expect(await page.locator(`[data-context="${id}"]`).getAttribute('aria-selected')).toBe('true')
    const runLine = page.locator('[data-testid=discomfort-runs] [data-run]').first()
    expect(await runLine.getAttribute('data-status')).toBe('succeeded')
    await runLine.click()
    const details = page.locator('[data-testid=discomfort-run-details]')
    await details.locator('[data-output=inverted] img').waitFor({ timeout: 10_000 })
    // Named after the page's workflow (its tab), and opened back onto an emptied canvas from the panel.
    const tab = await page.evaluate(() =>
      String((window as unknown as W).app.extensionManager.workflow.activeWorkflow.filename),
    )
    expect(tab).not.toBe('')
    expect(await runLine.locator('.name').innerText()).toBe(tab)
    const portKeys = () =>
      page.evaluate(() =>
        (window as unknown as W).app.graph.nodes
          .filter((n: { type: string }) => n.type === 'DiscomfortPort')
          .map((n: { widgets: Array<{ name: string; value: unknown }> }) =>
            String(n.widgets.find((x) => x.name === 'unique_id')?.value),
          )
          .sort(),
      )
    await page.evaluate(() => (window as unknown as W).app.graph.clear())
    expect(await portKeys()).toEqual([])
    await details.locator('[data-testid=discomfort-open-workflow]').click()
    await page.waitForFunction(() => (window as unknown as W).app.graph.nodes.length === 3, null, { timeout: 10_000 })
    expect(await portKeys()).toEqual(['inverted', 'photo'])
    // Opened at 300 px, nothing spills out of the panel.
    const overflow = await page.evaluate(() => {
      const el = document.querySelector('.discomfort') as HTMLElement
      el.style.width = '300px'
      return el.scrollWidth - el.clientWidth
    })
    expect(overflow).toBe(0)
    await shot('walk-4-after-reload')
    // The opened run and the gallery follow the light palette too, and still fit.
    const look = () =>
      page.evaluate(() => {
        const el = document.querySelector('.discomfort') as HTMLElement
        const box = document.querySelector('[data-testid=discomfort-run-details]') as HTMLElement
        return { overflow: el.scrollWidth - el.clientWidth, background: getComputedStyle(box).backgroundColor }
      })
    const dark = await look()
    await page.evaluate(() => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', 'light'))
    await page.locator('[data-testid=discomfort-view-gallery]').click()
    await new Promise((r) => setTimeout(r, 500))
    const light = await look()
    expect(light.overflow).toBe(0)
    expect(light.background).not.toBe(dark.background)
    await shot('walk-4-light')
    await page.evaluate(() => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', 'dark'))
    await page.locator('[data-testid=discomfort-view-list]').click()

    // 6. A changed value, and the run again from the panel.
    await page.locator('[data-testid=discomfort-upload]').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from(solidPng(16, 16, [0, 100, 255])),
    })
    for (let i = 0; i < 50; i++) {
      if ((await pixel(id, 'photo'))[0] === 0) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const runsBefore = await page.locator('[data-testid=discomfort-runs] [data-run]').count()
    await page.locator('[data-testid=discomfort-rerun]').click()
    for (let i = 0; i < 100; i++) {
      if ((await pixel(id, 'inverted'))[0] === 255) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(inverted(await pixel(id, 'inverted'), [0, 100, 255])).toBe(true)
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=discomfort-runs] [data-run]').length > n,
      Math.min(runsBefore, 9),
      { timeout: 10_000 },
    )
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=discomfort-runs] [data-run]')?.getAttribute('data-status') === 'succeeded',
      null,
      { timeout: 10_000 },
    )
    await shot('walk-5-run-again')
    await page.locator('[data-testid=discomfort-view-list]').click()
    await setActive('page-ctx')
    await toggle()
  })

  it('the panel fits 300 px with 1,000 keys and a long context name, pages and filters them, in dark and light themes', async () => {
    const name = `a context with a very long name that goes on ${'and on '.repeat(20)}until here`
    const many = await bridge.store.create({ id: 'many-keys', name })
    for (let i = 0; i < 1000; i++)
      await many.save(`key-${i}${i % 97 === 0 ? '-with-a-long-name-that-would-wrap-in-a-narrow-panel' : ''}`, {
        kind: 'string',
        value: `value ${i}`,
      })
    await setActive('many-keys')
    await page.locator('.pi-database').first().click()
    await page.locator('[data-testid=discomfort-keys] tr[data-key=key-1]').waitFor({ timeout: 15_000 })
    const measure = () =>
      page.evaluate(() => {
        const panel = document.querySelector('.discomfort') as HTMLElement
        panel.style.width = '300px'
        const rows = panel.querySelectorAll('[data-testid=discomfort-keys] tr[data-key]').length
        const wrapped = Array.from(panel.querySelectorAll('[data-testid=discomfort-keys] td')).filter(
          (td) => (td as HTMLElement).getClientRects().length > 0 && td.scrollHeight > 40,
        ).length
        return {
          overflow: panel.scrollWidth - panel.clientWidth,
          rows,
          wrapped,
          color: getComputedStyle(panel).color,
          fg: getComputedStyle(document.documentElement).getPropertyValue('--fg-color').trim(),
        }
      })
    const dark = await measure()
    expect(dark).toMatchObject({ overflow: 0, rows: 100, wrapped: 0 })
    await shot('panel-1000-keys-dark')
    await page.locator('[data-testid=discomfort-more]').click()
    expect((await measure()).rows).toBe(200)
    await page.locator('[data-testid=discomfort-filter]').fill('key-99')
    expect((await measure()).rows).toBe(11)
    await page.locator('[data-testid=discomfort-filter]').fill('')

    await page.evaluate(() => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', 'light'))
    await new Promise((r) => setTimeout(r, 500))
    const light = await measure()
    expect(light.overflow).toBe(0)
    // The panel's text follows the palette's foreground.
    expect(light.color).not.toBe(dark.color)
    await shot('panel-1000-keys-light')
    await page.evaluate(() => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', 'dark'))
    await setActive('page-ctx')
    await bridge.store.close('many-keys')
    await page.locator('.pi-database').first().click()
  })

  it("the panel's states, dark and light: contexts made, renamed and deleted in the frontend's own dialogs, runs as rows with status icons named after their workflow, a script's workflow opened on the canvas", async () => {
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${bridge.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    const panel = page.locator('.discomfort')
    await page.locator('.pi-database').first().click()
    await page.locator('[data-testid=discomfort-contexts]').waitFor({ timeout: 10_000 })
    // A context made with +, named in the frontend's prompt dialog.
    await panel.locator('[data-testid=discomfort-new-context]').click()
    await page.locator('[role=dialog] input').first().waitFor({ timeout: 10_000 })
    await shot('panel-dialog-new-context')
    await answerDialog(page, { text: 'portraits' })
    const made = page.locator('[data-testid=discomfort-contexts] .item[aria-selected=true]')
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=discomfort-contexts] .item[aria-selected=true] .name')?.textContent ===
        'portraits',
      null,
      { timeout: 10_000 },
    )
    const id = String(await made.getAttribute('data-context'))
    expect(bridge.store.get(id)?.name).toBe('portraits')
    // Renamed from its row: the dialog offers the old name; the new one is the bridge's and the row's.
    await made.locator('[data-testid=discomfort-rename]').click()
    expect(await page.locator('[role=dialog] input').first().inputValue()).toBe('portraits')
    await answerDialog(page, { text: 'portraits, cropped' })
    await page.waitForFunction(
      (ctx) => document.querySelector(`[data-context="${ctx}"] .name`)?.textContent === 'portraits, cropped',
      id,
      { timeout: 10_000 },
    )
    expect(bridge.store.get(id)?.name).toBe('portraits, cropped')
    // Values, and runs: one that succeeded (a script's, its workflow as given), one that failed.
    const ctx = bridge.store.get(id)!
    await ctx.save('face', imageFromPngs([solidPng(24, 24, [40, 120, 200])]))
    await ctx.save('caption', { kind: 'string', value: 'a face' })
    const ok = (await (
      await api('POST', '/api/runs', {
        workflows: [{ name: 'caption twice', workflow: CONCAT.workflow }],
        context: id,
        inputs: { text: 'x' },
      })
    ).json()) as { id: string }
    const bad = (await (
      await api('POST', '/api/runs', {
        workflows: [
          {
            name: 'broken graph',
            workflow: {
              1: { class_type: 'LoadImage', inputs: { image: 'not-in-input-folder.png' } },
              2: { class_type: 'DiscomfortPort', inputs: { unique_id: 'loaded', input_data: ['1', 0] } },
            },
          },
        ],
        context: id,
      })
    ).json()) as { id: string }
    // One that ComfyUI lost in a restart: submitted again, shown with how many times.
    const slow = (await (await api('POST', '/api/runs', { workflows: [SLOW(60)], context: id })).json()) as {
      id: string
    }
    const sleeping = async () =>
      (
        (await (await api('GET', `/api/runs/${slow.id}?events=1`)).json()) as { events: Array<{ type: string }> }
      ).events.some((e) => e.type === 'progress')
    for (let i = 0; i < 300 && !(await sleeping()); i++) await new Promise((r) => setTimeout(r, 10))
    expect(await sleeping(), 'the slow prompt runs on ComfyUI').toBe(true)
    comfy.restart()
    const row = (run: string) => page.locator(`[data-testid=discomfort-runs] [data-run="${run}"]`)
    await page.waitForFunction(
      (run) => document.querySelector(`[data-run="${run}"]`)?.getAttribute('data-status') === 'succeeded',
      slow.id,
      { timeout: 30_000 },
    )
    const slowView = await (await api('GET', `/api/runs/${slow.id}?events=1`)).json()
    expect(
      (slowView as { resubmitted?: number }).resubmitted,
      JSON.stringify(
        (slowView as { events: Array<{ type: string }> }).events.map((e) => e.type).filter((t) => t !== 'progress'),
      ),
    ).toBe(1)
    expect(await row(slow.id).locator('.resubmitted').innerText()).toMatch(/1/)
    expect(await row(slow.id).locator('.resubmitted').getAttribute('title')).toMatch(/lost it once/)
    await page.waitForFunction(
      ([a, b]) =>
        document.querySelector(`[data-run="${a}"]`)?.getAttribute('data-status') === 'succeeded' &&
        document.querySelector(`[data-run="${b}"]`)?.getAttribute('data-status') === 'failed',
      [ok.id, bad.id],
      { timeout: 15_000 },
    )
    expect(await row(ok.id).locator('.name').innerText()).toBe('caption twice')
    expect(await row(ok.id).locator('.pi-check').count()).toBe(1)
    expect(await row(bad.id).locator('.name').innerText()).toBe('broken graph')
    expect(await row(bad.id).locator('.pi-times-circle').count()).toBe(1)
    // The script's run opens its workflow (an API prompt, as it was given) on the canvas.
    await page.evaluate(() => (window as unknown as W).app.graph.clear())
    await row(ok.id).click()
    await page.locator('[data-testid=discomfort-open-workflow]').click()
    await page.waitForFunction(
      () => (window as unknown as W).app.graph.nodes.some((n: { type: string }) => n.type === 'StringConcatenate'),
      null,
      { timeout: 10_000 },
    )
    expect(
      await page.evaluate(() => (window as unknown as W).app.graph.nodes.map((n: { type: string }) => n.type).sort()),
    ).toEqual(['DiscomfortPort', 'DiscomfortPort', 'StringConcatenate'])
    await row(ok.id).click()

    const fits = () => panelFits(page)
    for (const palette of ['dark', 'light']) {
      await page.evaluate(
        (p) => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', p),
        palette,
      )
      await new Promise((r) => setTimeout(r, 300))
      await page.locator('[data-testid=discomfort-keys] tr[data-key=face] img').waitFor({ timeout: 10_000 })
      expect(await fits()).toMatchObject({ overflow: 0, sideways: 0, cutButtons: [], cutWithoutTooltip: [] })
      await shot(`panel-${palette}`)
      await page.locator('[data-testid=discomfort-view-gallery]').click()
      await page.locator('[data-testid=discomfort-gallery] [data-key=face] img').waitFor({ timeout: 10_000 })
      await shot(`panel-gallery-${palette}`)
      await page.locator('[data-testid=discomfort-view-list]').click()
      await row(bad.id).click()
      await page.locator('[data-testid=discomfort-run-details] .error').waitFor({ timeout: 10_000 })
      expect(await fits()).toMatchObject({ overflow: 0, sideways: 0, cutButtons: [], cutWithoutTooltip: [] })
      await shot(`panel-run-failed-${palette}`)
      await row(bad.id).click()
      await made.locator('[data-testid=discomfort-delete-context]').click()
      await page.locator('[role=dialog]').last().waitFor({ timeout: 10_000 })
      await shot(`panel-dialog-delete-${palette}`)
      if (palette === 'dark') await answerDialog(page, { button: /cancel/i })
    }
    // Deleted once confirmed: gone from the bridge and the list.
    await answerDialog(page, { button: /delete/i })
    await page.locator(`[data-context="${id}"]`).waitFor({ state: 'detached', timeout: 10_000 })
    expect(bridge.store.get(id)).toBeUndefined()
    await page.evaluate(() => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', 'dark'))
    await setActive('page-ctx')
    await page.locator('.pi-database').first().click()
  })

  it('shows the pool once it has two servers: per row its state, label and load, paused and resumed from the row and from the header (as the bridge then says), a server down with its error, a refused pause in a toast; it fits, dark and light', async () => {
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${bridge.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    const pool = async () => (await (await api('GET', '/api/servers')).json()) as ServerInfo[]
    const paused = async () => (await pool()).map((x) => [x.label, x.paused])
    const section = page.locator('[data-testid=discomfort-servers]')
    const row = (label: string) => section.locator(`[data-server="${label}"]`)
    /** Wait until the row of `label` is drawn in `state` (up, paused, down). */
    const drawn = (label: string, state: string) =>
      page
        .locator(`[data-testid=discomfort-servers] [data-server="${label}"][data-state=${state}]`)
        .waitFor({ timeout: 10_000 })
    const fitsAll = { overflow: 0, sideways: 0, cutButtons: [], cutWithoutTooltip: [] }
    const setPalette = async (palette: string) => {
      await page.evaluate(
        (p) => (window as unknown as W).app.extensionManager.setting.set('Comfy.ColorPalette', p),
        palette,
      )
      await new Promise((r) => setTimeout(r, 300))
    }
    const [primary] = await pool()
    await page.locator('.pi-database').first().click()
    await page.locator('[data-testid=discomfort-contexts]').waitFor({ timeout: 10_000 })
    // One server, up: the section would say nothing the status line does not, and is not drawn.
    await page.waitForFunction(
      () =>
        (window as unknown as { discomfort: { store: { state: { servers?: unknown[] } } } }).discomfort.store.state
          .servers?.length === 1,
      null,
      { timeout: 10_000 },
    )
    expect(await section.count()).toBe(0)
    const other = await startComfyStandIn()
    let otherOpen = true
    /** While set, the panel's reads of the pool fail (what it shows stays as it was). */
    const listing = (url: URL) => url.pathname === '/api/servers' && url.port === new URL(bridge.url).port
    try {
      expect((await api('POST', '/api/servers', { url: other.url, label: 'second' })).status).toBe(201)
      // No run moves: it is drawn at the panel's next read, within a few seconds.
      const added = Date.now()
      await drawn('second', 'up')
      expect(Date.now() - added).toBeLessThan(SERVERS_EVERY_MS + 2000)
      const rows = await section.locator('[data-server]').evaluateAll((rs) =>
        rs.map((r) => ({
          label: r.getAttribute('data-server'),
          state: r.getAttribute('data-state'),
          name: r.querySelector('.name')?.textContent,
          load: r.querySelector('.meta')?.textContent,
          icon: r.querySelector(':scope > .pi')?.className,
          title: r.getAttribute('title') ?? '',
        })),
      )
      expect(rows.map(({ title: _, ...r }) => r)).toEqual([
        { label: primary!.label, state: 'up', name: primary!.label, load: '0/1', icon: 'pi pi-check-circle' },
        { label: 'second', state: 'up', name: 'second', load: '0/1', icon: 'pi pi-check-circle' },
      ])
      // The tooltip: its URL, its load, what its cache holds.
      expect(rows[0]!.title).toContain(primary!.url)
      expect(rows[1]!.title).toContain(other.url)
      expect(rows[1]!.title).toContain('0/1 prompts queued or running')
      expect(rows[1]!.title).toContain('holds nothing known yet')
      if (primary!.holds.length) expect(rows[0]!.title).toContain(primary!.holds[0])

      // One server paused from its row (its button shows on hover): the bridge says so; resumed from the same row.
      await row('second').hover()
      await row('second').locator('[data-testid=discomfort-pause-server]').click()
      await drawn('second', 'paused')
      expect(await row('second').locator(':scope > .pi-pause-circle').count()).toBe(1)
      expect(await row(primary!.label).getAttribute('data-state')).toBe('up')
      expect(await paused()).toEqual([
        [primary!.label, false],
        ['second', true],
      ])
      // With one paused and one not, the header offers both: pause the rest, resume it.
      expect(await section.count()).toBe(1)
      expect(await page.locator('[data-testid=discomfort-pause-all]').count()).toBe(1)
      expect(await page.locator('[data-testid=discomfort-resume-all]').count()).toBe(1)
      await row('second').locator('[data-testid=discomfort-resume-server]').click()
      await drawn('second', 'up')
      expect(await paused()).toEqual([
        [primary!.label, false],
        ['second', false],
      ])

      // Every server paused from the header, and resumed; the section fits the default width, dark and light.
      for (const palette of ['dark', 'light']) {
        await setPalette(palette)
        expect(await panelFits(page)).toMatchObject(fitsAll)
        await shot(`panel-servers-${palette}`)
        await page.locator('[data-testid=discomfort-pause-all]').click()
        await drawn(primary!.label, 'paused')
        await drawn('second', 'paused')
        expect(await section.locator('[data-server] > .pi-pause-circle').count()).toBe(2)
        expect(await page.locator('[data-testid=discomfort-pause-all]').count()).toBe(0)
        expect(await paused()).toEqual([
          [primary!.label, true],
          ['second', true],
        ])
        expect(await panelFits(page)).toMatchObject(fitsAll)
        await shot(`panel-servers-paused-${palette}`)
        await page.locator('[data-testid=discomfort-resume-all]').click()
        await drawn(primary!.label, 'up')
        await drawn('second', 'up')
        expect(await paused()).toEqual([
          [primary!.label, false],
          ['second', false],
        ])
      }
      await setPalette('dark')

      // A server that stops answering: a run given to it fails there before anything is queued, and
      // waits for the other (paused meanwhile); the row shows it down, its error in the tooltip.
      await row(primary!.label).hover()
      await row(primary!.label).locator('[data-testid=discomfort-pause-server]').click()
      await drawn(primary!.label, 'paused')
      await other.close()
      otherOpen = false
      const run = (await (
        await api('POST', '/api/runs', { workflows: [CONCAT], context: 'page-ctx', inputs: { text: 'pool' } })
      ).json()) as { id: string }
      await drawn('second', 'down')
      expect(await row('second').locator(':scope > .pi-times-circle').count()).toBe(1)
      const down = (await row('second').getAttribute('title')) ?? ''
      expect(down).toContain('down: taken out of the pool')
      expect(down).toContain(`Last error: ${(await pool()).find((x) => x.label === 'second')?.lastError}`)
      expect(await panelFits(page)).toMatchObject(fitsAll)
      await shot('panel-servers-down-dark')
      // Resumed, the other server runs it.
      await row(primary!.label).locator('[data-testid=discomfort-resume-server]').click()
      await drawn(primary!.label, 'up')
      await page.waitForFunction(
        (id) => document.querySelector(`[data-run="${id}"]`)?.getAttribute('data-status') === 'succeeded',
        run.id,
        { timeout: 15_000 },
      )
      // Its slot given back, the row says so (read again on the run's events).
      await page.waitForFunction(
        (label) =>
          document.querySelector(`[data-testid=discomfort-servers] [data-server="${label}"] .meta`)?.textContent ===
          '0/1',
        primary!.label,
        { timeout: 10_000 },
      )

      // A pause the bridge refuses is said in the frontend's toast: the server left the pool after the panel last read it.
      await dismissMessages(page)
      await page.route(listing, (route) => (route.request().method() === 'GET' ? route.abort() : route.continue()))
      expect((await api('DELETE', '/api/servers/second')).status).toBe(200)
      await row('second').hover()
      await row('second').locator('[data-testid=discomfort-pause-server]').click()
      // The toast's title and its detail (the bridge's own words), as every frontend draws its toasts.
      await page.waitForFunction(
        () =>
          document.body.innerText.includes('"second" is not paused') &&
          document.body.innerText.includes('No server "second" in the pool.'),
        null,
        { timeout: 10_000 },
      )
      await shot('panel-servers-refused')
      await page.unroute(listing)
      await dismissMessages(page)
      // One server again, up: the section goes at the next read.
      await section.waitFor({ state: 'detached', timeout: 10_000 })
    } finally {
      await page.unroute(listing)
      if (otherOpen) await other.close()
      if ((await pool()).some((x) => x.label === 'second')) await api('DELETE', '/api/servers/second')
      await api('POST', '/api/servers/resume')
      await setPalette('dark')
    }
    await page.locator('.pi-database').first().click()
  })

  it('closing the sidebar tab removes its listener and stops reading the servers (opened and closed 3 times)', async () => {
    const count = () =>
      page.evaluate(() => {
        const { store } = (
          window as unknown as { discomfort: { store: { listenerCount: number; serverWatchers: number } } }
        ).discomfort
        return { listeners: store.listenerCount, watchers: store.serverWatchers }
      })
    const base = await count()
    expect(base.watchers).toBe(0)
    for (let i = 0; i < 3; i++) {
      await page.locator('.pi-database').first().click()
      await page.locator('[data-testid=discomfort-status]').waitFor({ timeout: 10_000 })
      expect(await count()).toEqual({ listeners: base.listeners + 1, watchers: 1 })
      await page.locator('.pi-database').first().click()
      await page.locator('[data-testid=discomfort-status]').waitFor({ state: 'detached', timeout: 10_000 })
      expect(await count()).toEqual(base)
    }
  })

  it('without ports, queueing goes to ComfyUI untouched', async () => {
    const before = Object.keys((await (await fetch(`${comfy.url}/api/history`)).json()) as object).length
    const pageRuns = async () => (await bridge.runs.list()).filter((r) => r.source === 'page').length
    const runsBefore = await pageRuns()
    await page.evaluate(async () => {
      const { app, LiteGraph } = window as unknown as W
      app.graph.clear()
      const text = LiteGraph.createNode('PrimitiveString')
      app.graph.add(text)
      const preview = LiteGraph.createNode('PreviewAny')
      app.graph.add(preview)
      text.connect(0, preview, 0)
      text.widgets[0].value = `plain ${Date.now()}`
      await app.queuePrompt(0, 1)
    })
    for (let i = 0; i < 50; i++) {
      const n = Object.keys((await (await fetch(`${comfy.url}/api/history`)).json()) as object).length
      if (n > before) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(await pageRuns()).toBe(runsBefore)
    expect(Object.keys((await (await fetch(`${comfy.url}/api/history`)).json()) as object).length).toBe(before + 1)
  })

  it('a refused run is drawn as ComfyUI draws its own validation error: one message, every port at fault outlined', async () => {
    const drawn = await refusalBesideNative(page, 'page-ctx', `${version}-refused-run`)
    expectDrawnAsNative(drawn)
    await dismissMessages(page)
  })

  it('finds its bridge on any port without a setting, and says plainly (whole, at the default width) when it cannot', async () => {
    await page.locator('.pi-database').first().click()
    const status = page.locator('[data-testid=discomfort-status]')
    // No URL in the settings: the bridge on a port of its own is the one the panel talks to.
    await page.waitForFunction(
      (url) => document.querySelector('[data-testid=discomfort-status]')?.textContent === `Bridge connected: ${url}`,
      bridge.url,
      { timeout: 15_000 },
    )
    // A URL set by hand that nothing answers at: the panel says so, naming the setting, and the sentence is drawn whole.
    const set = (value: string) =>
      page.evaluate((v) => (window as unknown as W).app.extensionManager.setting.set('Discomfort.BridgeUrl', v), value)
    await set('http://127.0.0.1:9')
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid=discomfort-status]')
          ?.textContent?.includes('Bridge not reachable at http://127.0.0.1:9 (Settings › Discomfort › Bridge URL)'),
      null,
      { timeout: 10_000 },
    )
    const drawn = await status.evaluate((el) => {
      const box = el.getBoundingClientRect()
      const panel = el.closest('.discomfort')!.getBoundingClientRect()
      return { cut: el.scrollWidth > el.clientWidth + 1, inside: box.right <= panel.right + 1, lines: box.height / 14 }
    })
    expect(drawn.cut).toBe(false)
    expect(drawn.inside).toBe(true)
    expect(drawn.lines).toBeGreaterThan(1.5)
    await shot('bridge-not-reachable')
    // Cleared again: the page finds its bridge by itself.
    await set('')
    await page.waitForFunction(
      (url) => document.querySelector('[data-testid=discomfort-status]')?.textContent === `Bridge connected: ${url}`,
      bridge.url,
      { timeout: 15_000 },
    )
    await page.locator('.pi-database').first().click()
  })

  it('talks to a bridge that needs a token once the token is set, images included', async () => {
    const secured = await startBridge({
      port: 0,
      comfyUrl: comfy.url,
      root: mkdtempSync(join(tmpdir(), 'browser-secured-')),
      token: 'tok-3141',
    })
    try {
      const ctx = await secured.store.create({ id: 'remote-ctx', name: 'on a bridge with a token' })
      await ctx.save('remote picture', { kind: 'image', frames: [solidPng(8, 8, [200, 0, 200])], width: 8, height: 8 })
      const set = (id: string, value: string) =>
        page.evaluate(([k, v]) => (window as unknown as W).app.extensionManager.setting.set(k, v), [id, value] as const)
      await set('Discomfort.BridgeUrl', secured.url)
      await page.locator('.pi-database').first().click()
      // Without the token it is refused: the panel says the bridge asks for one, and where to set it.
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid=discomfort-status]')
            ?.textContent?.includes('asks for a token: set it in Settings › Discomfort › Bridge token'),
        null,
        { timeout: 10_000 },
      )
      await set('Discomfort.BridgeToken', 'tok-3141')
      await page.waitForFunction(
        () => document.querySelector('[data-testid=discomfort-status]')?.textContent?.includes('Bridge connected'),
        null,
        { timeout: 10_000 },
      )
      await setActive('remote-ctx')
      await imageShown('[data-testid=discomfort-keys] tr[data-key="remote picture"] img')
      await shot('bridge-with-token')
    } finally {
      await page.evaluate((url) => {
        const { app } = window as unknown as W
        app.extensionManager.setting.set('Discomfort.BridgeToken', '')
        // Back to no URL set: the page finds its bridge again.
        app.extensionManager.setting.set('Discomfort.BridgeUrl', url)
        ;(window as unknown as { discomfort: { store: { setActive(id: string): void } } }).discomfort.store.setActive(
          'page-ctx',
        )
      }, '')
      await page.locator('.pi-database').first().click()
      await secured.close()
    }
  })

  it('with the bridge down, a toast says how to start it and nothing is queued', async () => {
    const before = Object.keys((await (await fetch(`${comfy.url}/api/history`)).json()) as object).length
    const queued = await page.evaluate(async () => {
      const { app, LiteGraph } = window as unknown as W
      app.graph.clear()
      const img = LiteGraph.createNode('EmptyImage')
      app.graph.add(img)
      const port = LiteGraph.createNode('DiscomfortPort')
      app.graph.add(port)
      img.connect(0, port, 0)
      port.widgets.find((w: { name: string }) => w.name === 'unique_id').value = 'never'
      await app.extensionManager.setting.set('Discomfort.BridgeUrl', 'http://127.0.0.1:9')
      try {
        await app.queuePrompt(0, 1)
      } catch {
        // the page reports it; nothing else to do here
      }
      return true
    })
    expect(queued).toBe(true)
    await page.waitForFunction(() => document.body.innerText.includes('not reachable at http://127.0.0.1:9'), null, {
      timeout: 10_000,
    })
    expect(await page.evaluate(() => document.body.innerText.includes('npx discomfort bridge'))).toBe(true)
    await shot('bridge-down-toast')
    await new Promise((r) => setTimeout(r, 300))
    expect(Object.keys((await (await fetch(`${comfy.url}/api/history`)).json()) as object).length).toBe(before)
    await page.evaluate(
      (url) => (window as unknown as W).app.extensionManager.setting.set('Discomfort.BridgeUrl', url),
      bridge.url,
    )
  })

  it('asked and told everything through the frontend: no browser prompt, confirm or alert opened', () => {
    expect(browserDialogs).toEqual([])
  })
})

/** The newest frontend, with the page's bridge one of two on a Redis (what the page sees does not depend on the frontend). */
describe.each(VERSIONS.slice(0, 1))('the panel on one of two bridges sharing a Redis, frontend %s', (version) => {
  it('shows contexts, values and runs made through the other bridge, live, and runs one again', async () => {
    const redis = await startRedis()
    const comfy = await startComfyStandIn({
      frontendDir: join(ROOT, '.frontends', version, 'static'),
      extensions: { discomfort: join(ROOT, 'web') },
    })
    const otherComfy = await startComfyStandIn()
    const on = (url: string, name: string) =>
      startBridge({
        port: 0,
        comfyUrl: url,
        root: mkdtempSync(join(tmpdir(), `browser-${name}-`)),
        redis: { url: redis.url, lockMs: 2000 },
        name,
      })
    const near = await on(comfy.url, 'near')
    const far = await on(otherComfy.url, 'far')
    const browser = await launchChromium()
    const viaFar = (method: string, path: string, body?: unknown) =>
      fetch(`${far.url}/api${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))
    try {
      await fetch(`${comfy.url}/api/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ 'Discomfort.BridgeUrl': near.url, 'Comfy.TutorialCompleted': true }),
      })
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
      await page.goto(comfy.url)
      await page.waitForFunction(
        () =>
          (window as unknown as W).app?.graph != null &&
          (window as unknown as { discomfort?: { store?: unknown } }).discomfort?.store != null,
        null,
        { timeout: 60_000 },
      )
      await page.locator('.pi-database').first().click()
      await page.locator('[data-testid=discomfort-status]').waitFor({ timeout: 10_000 })

      // A context made and written through the other bridge appears in the page's picker and table.
      expect((await viaFar('POST', '/contexts', { id: 'made-far', name: 'made far away' })).status).toBe(201)
      const farRow = page.locator('[data-testid=discomfort-contexts] [data-context=made-far]')
      await farRow.waitFor({ timeout: 10_000 })
      expect(await farRow.locator('.name').innerText()).toBe('made far away')
      await farRow.click()
      await viaFar('PUT', '/contexts/made-far/values/text', { value: 'from far' })
      await page.locator('[data-testid=discomfort-keys] tr[data-key=text]').waitFor({ timeout: 10_000 })

      // A run asked of the other bridge is listed here as it ends, and can be opened and run again from here.
      const asked = await viaFar('POST', '/runs', { workflows: [CONCAT], context: 'made-far' })
      const id = String(asked.body.id)
      const line = page.locator(`[data-testid=discomfort-runs] [data-run="${id}"]`)
      await line.waitFor({ timeout: 10_000 })
      await page.waitForFunction(
        (run) =>
          document.querySelector(`[data-testid=discomfort-runs] [data-run="${run}"]`)?.getAttribute('data-status') ===
          'succeeded',
        id,
        { timeout: 10_000 },
      )
      await page.locator('[data-testid=discomfort-keys] tr[data-key=out]').waitFor({ timeout: 10_000 })
      expect(await page.locator('[data-testid=discomfort-keys] tr[data-key=out]').innerText()).toMatch(/from far!/)
      await viaFar('PUT', '/contexts/made-far/values/text', { value: 'changed' })
      await line.click()
      await page.locator('[data-testid=discomfort-rerun]').click()
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=discomfort-keys] tr[data-key=out]')?.textContent?.includes('changed!'),
        null,
        { timeout: 15_000 },
      )
      // The run again was asked of this page's bridge: the other bridge lists it too.
      const runs = (await (await fetch(`${far.url}/api/runs`)).json()) as RunView[]
      expect(runs.filter((r) => r.contextId === 'made-far').map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
      await page.screenshot({ path: join(ARTIFACTS, `${version}-two-bridges.png`) })
    } finally {
      await browser.close()
      await far.close()
      await near.close()
      await otherComfy.close()
      await comfy.close()
      await redis.stop()
    }
  }, 120_000)
})

/** Nodes 2.0 (Vue-rendered nodes) exist from frontend 1.32 on. */
const VUE_VERSIONS = VERSIONS.filter((v) => Number(v.split('.')[1]) >= 32)

describe.each(VUE_VERSIONS)('the port with Vue-rendered nodes in frontend %s', (version) => {
  it('shows its mode and key in the node title, and a refused run as ComfyUI shows its own', async () => {
    const comfy = await startComfyStandIn({
      frontendDir: join(ROOT, '.frontends', version, 'static'),
      extensions: { discomfort: join(ROOT, 'web') },
    })
    const bridge = await startBridge({ port: 0, comfyUrl: comfy.url, root: mkdtempSync(join(tmpdir(), 'vue-bridge-')) })
    await bridge.store.create({ id: 'vue-ctx', name: 'vue nodes' })
    await fetch(`${comfy.url}/api/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 'Comfy.TutorialCompleted': true, 'Comfy.VueNodes.Enabled': true }),
    })
    const browser = await launchChromium()
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
      await page.addInitScript(installPageHelpers)
      await page.goto(comfy.url)
      await page.waitForFunction(
        () =>
          (window as unknown as W).app?.graph != null &&
          (window as unknown as W).LiteGraph?.registered_node_types?.DiscomfortPort != null,
        null,
        { timeout: 60_000 },
      )
      await page.evaluate(() => {
        const { app, discomfortTest } = window as unknown as W
        app.graph.clear()
        const img = discomfortTest.place('EmptyImage', 50)
        const port = discomfortTest.place('DiscomfortPort', 500)
        port.widgets.find((w: { name: string }) => w.name === 'unique_id').value = 'vue_port'
        img.connect(0, port, 0)
      })
      await page.waitForFunction(() => document.body.innerText.includes('vue_port · OUTPUT'), null, { timeout: 10_000 })
      await page.screenshot({ path: join(ARTIFACTS, `${version}-vue-nodes.png`) })
      // A refused run, drawn as ComfyUI draws its own validation error with these nodes too.
      const drawn = await refusalBesideNative(page, 'vue-ctx', `${version}-vue-refused-run`)
      expectDrawnAsNative(drawn)
    } finally {
      await browser.close()
      await bridge.close()
      await comfy.close()
    }
  })
})
