import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.ts';

const SCRIPT = fileURLToPath(new URL('./consumer-process.ts', import.meta.url));

export interface Received {
  id: string;
  redelivered: boolean;
  attempt: number | null;
  pid: number;
}

/** A consumer process and what it has printed so far. */
export class ConsumerChild {
  readonly received: Received[] = [];
  readonly process: ChildProcess;
  #ready = false;
  #exited = false;
  #stderr = '';

  constructor(env: { BUS_URL: string; TOPIC: string; GROUP: string; MODE?: 'ack' | 'ack-first' }) {
    this.process = spawn(process.execPath, [SCRIPT], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      if (line === 'ready') this.#ready = true;
      else if (line.startsWith('{')) this.received.push(JSON.parse(line) as Received);
    });
    this.process.stderr!.on('data', (chunk: Buffer) => { this.#stderr += chunk.toString(); });
    this.process.once('exit', () => { this.#exited = true; });
  }

  async ready(): Promise<void> {
    await waitFor(() => {
      if (this.#exited) throw new Error(`consumer process exited before it was ready:\n${this.#stderr}`);
      return this.#ready;
    }, 30_000);
  }

  ids(): string[] {
    return this.received.map((r) => r.id);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise((r) => this.process.once('exit', r));
    this.process.kill(signal);
    await exited;
  }
}
