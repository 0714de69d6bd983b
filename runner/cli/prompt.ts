import { createInterface } from 'node:readline'

/**
 * Asks one question on the terminal and resolves with the answer; an empty answer when the
 * terminal closes first (Ctrl-D, a closed pseudo-terminal) or when `signal` aborts (Ctrl-C), so
 * an unanswered question never counts as a yes.
 */
export function ask(question: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    let answered = false
    const finish = (answer: string) => {
      if (answered) return
      answered = true
      signal.removeEventListener('abort', onAbort)
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    }
    const onAbort = () => finish('')
    signal.addEventListener('abort', onAbort, { once: true })
    rl.once('line', (line) => finish(line))
    rl.once('close', () => finish(''))
    rl.setPrompt(question)
    rl.prompt()
  })
}
