/**
 * How `discomfort run` shows progress: a bar per workflow and iteration on a
 * terminal, plain lines otherwise (logs, CI, pipes).
 */
import type { RunEvent } from '../runs/runner.js'

export interface Renderer {
  event(e: RunEvent): void
  done(): void
}

const bar = (done: number, total: number, width = 24): string => {
  const filled = total > 0 ? Math.round((done / total) * width) : 0
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
}

export class TtyRenderer implements Renderer {
  private line = ''
  private totalSteps = 0
  constructor(private readonly out: NodeJS.WriteStream) {}

  private show(text: string): void {
    const width = this.out.columns ?? 100
    this.line = text.slice(0, width - 1)
    this.out.write(`\r\x1b[2K${this.line}`)
  }

  event(e: RunEvent): void {
    switch (e.type) {
      case 'workflow-started':
        this.totalSteps = e.totalSteps
        this.show(`${e.step}/${e.totalSteps} ${e.workflow} #${e.iteration} ${bar(0, e.nodes)} 0/${e.nodes}`)
        break
      case 'node':
        this.show(
          `${e.step}/${this.totalSteps} ${e.workflow} #${e.iteration} ${bar(e.done, e.total)} ${e.done}/${e.total} ${e.title}`,
        )
        break
      case 'progress':
        this.show(`${e.step} ${e.workflow} #${e.iteration} ${e.title} ${bar(e.value, e.max)} ${e.value}/${e.max}`)
        break
      case 'workflow-finished':
        this.out.write(
          `\r\x1b[2K✓ ${e.step}/${e.totalSteps} ${e.workflow} #${e.iteration} (${e.executed} ran, ${e.cached} cached)${e.wrote.length ? ` → ${e.wrote.join(', ')}` : ''}\n`,
        )
        this.line = ''
        break
      default:
        break
    }
  }

  done(): void {
    if (this.line) this.out.write('\n')
  }
}

export class PlainRenderer implements Renderer {
  constructor(private readonly out: NodeJS.WritableStream) {}
  event(e: RunEvent): void {
    switch (e.type) {
      case 'run-started':
        this.out.write(
          `run ${e.runId}: ${e.workflows.join(', ')} × ${e.iterations} iteration(s) in context ${e.contextId}\n`,
        )
        break
      case 'workflow-started':
        this.out.write(`[${e.step}/${e.totalSteps}] ${e.workflow} iteration ${e.iteration}: ${e.nodes} nodes\n`)
        break
      case 'workflow-finished':
        this.out.write(
          `[${e.step}/${e.totalSteps}] ${e.workflow} iteration ${e.iteration}: done (${e.executed} ran, ${e.cached} cached)${e.wrote.length ? `; wrote ${e.wrote.join(', ')}` : ''}\n`,
        )
        break
      default:
        break
    }
  }
  done(): void {}
}
