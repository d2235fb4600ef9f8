/** Every call a connector made to a fake, so tests can count and inspect them. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  body?: unknown;
}

export class RequestLog {
  private seq = 0;
  readonly entries: LoggedRequest[] = [];
  private readonly max: number;
  constructor(max = 50_000) {
    this.max = max;
  }

  add(entry: Omit<LoggedRequest, 'seq' | 'at'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, at: new Date().toISOString(), ...entry });
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }

  clear(): void {
    this.entries.length = 0;
  }

  count(filter: { method?: string; pathPrefix?: string; status?: number } = {}): number {
    return this.entries.filter((e) =>
      (filter.method === undefined || e.method === filter.method) &&
      (filter.pathPrefix === undefined || e.path.startsWith(filter.pathPrefix)) &&
      (filter.status === undefined || e.status === filter.status)).length;
  }
}
