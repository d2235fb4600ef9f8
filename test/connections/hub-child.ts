import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.ts';

const SCRIPT = fileURLToPath(new URL('./hub-process.ts', import.meta.url));

/** A hub-process.ts child and its listening URL. */
export class HubChild {
  readonly process: ChildProcess;
  url = '';
  #exited = false;
  #stderr = '';

  constructor(options: Record<string, unknown>) {
    this.process = spawn(process.execPath, [SCRIPT], { env: { ...process.env, HUB_OPTIONS: JSON.stringify(options) }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) this.url = (JSON.parse(line) as { url: string }).url;
    });
    this.process.stderr!.on('data', (chunk: Buffer) => { this.#stderr += chunk.toString(); });
    this.process.once('exit', () => { this.#exited = true; });
  }

  async ready(): Promise<void> {
    await waitFor(() => {
      if (this.#exited) throw new Error(`hub process exited before it was ready:\n${this.#stderr}`);
      return this.url !== '';
    }, 30_000);
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise((r) => this.process.once('exit', r));
    this.process.kill('SIGTERM');
    await exited;
  }
}
