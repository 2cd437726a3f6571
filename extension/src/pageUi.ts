/**
 * The frontend's own surfaces, as the panel and the port node use them: its
 * prompt and confirm dialogs, its toasts, and opening a workflow on the
 * canvas. Every supported frontend (1.25 to 1.58) has each of these on
 * `app.extensionManager` and `app`, so nothing of ours draws a dialog and no
 * browser `prompt()` or `alert()` is ever shown.
 */
import type { RunWorkflows } from '../../shared/protocol/index.js'

type Severity = 'success' | 'info' | 'warn' | 'error'

export interface PageUi {
  /** The frontend's text prompt; undefined when cancelled. */
  ask(o: { title: string; message: string; defaultValue?: string; placeholder?: string }): Promise<string | undefined>
  /** The frontend's confirm dialog (a destructive one shows its red Delete button). */
  confirm(o: { title: string; message: string; destructive?: boolean; items?: string[] }): Promise<boolean>
  toast(severity: Severity, summary: string, detail?: string): void
  /** Open a workflow on the canvas, in a tab of its own name where the frontend has tabs. */
  openWorkflow(w: RunWorkflows['workflows'][number]): Promise<void>
}

/** What of the frontend's extension manager this uses. */
interface ManagerLike {
  dialog: {
    prompt(o: { title: string; message: string; defaultValue?: string; placeholder?: string }): Promise<string | null>
    confirm(o: {
      title: string
      message: string
      type?: 'default' | 'delete'
      itemList?: string[]
    }): Promise<boolean | null>
  }
  toast: { add(m: { severity: Severity; summary: string; detail?: string; life?: number }): void }
}

/** What of `app` this uses. */
interface AppLike {
  loadGraphData(graph: unknown, clean?: boolean, restoreView?: boolean, workflow?: string | null): Promise<void>
  loadApiJson(prompt: unknown, fileName: string): Promise<void> | void
}

/** How long a toast stays: errors until read a while, the rest briefly. */
const LIFE: Record<Severity, number> = { success: 3000, info: 4000, warn: 6000, error: 8000 }

export function pageUi(manager: unknown, app: unknown): PageUi {
  const m = manager as ManagerLike
  const a = app as AppLike
  return {
    async ask(o) {
      const answer = await m.dialog.prompt(o)
      return answer === null || answer === undefined ? undefined : String(answer)
    },
    async confirm(o) {
      const answer = await m.dialog.confirm({
        title: o.title,
        message: o.message,
        type: o.destructive ? 'delete' : 'default',
        ...(o.items ? { itemList: o.items } : {}),
      })
      return answer === true
    },
    toast(severity, summary, detail) {
      m.toast.add({ severity, summary, ...(detail ? { detail } : {}), life: LIFE[severity] })
    },
    async openWorkflow(w) {
      if (w.format === 'ui') await a.loadGraphData(structuredClone(w.workflow), true, true, w.name)
      else await a.loadApiJson(structuredClone(w.workflow), w.name)
    },
  }
}
