import { createServer, type IncomingHttpHeaders } from 'node:http';

/**
 * A tiny webhook endpoint for tests: records every request with its raw body
 * and answers with the next queued status from `statuses`, else `status`.
 * `respond` takes over the answer entirely (handshakes, SOAP acks, headers).
 */
export interface Received {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ReceiverOptions {
  /** Path appended to the receiver's URL (default `/hook`). */
  path?: string;
  /** Status for every answer not taken from `statuses` (default 200). */
  status?: number;
  /** Statuses for the next answers, one each, before `status` applies. */
  statuses?: number[];
  /** Custom answer; returning undefined falls back to the statuses. */
  respond?: (req: Received) => Answer | undefined;
}

export interface Receiver {
  /** Base URL plus `path`. */
  url: string;
  /** `http://127.0.0.1:port`, for receivers that hand out several paths. */
  origin: string;
  received: Received[];
  statuses: number[];
  status: number;
  respond: ((req: Received) => Answer | undefined) | undefined;
  /**
   * Resolves once at least `n` requests (matching `where`, if given) arrived.
   * Gives up with an error after `giveUpMs` (5 s) so a missing delivery fails the test instead of hanging it.
   */
  waitFor: (n: number, where?: (r: Received) => boolean, giveUpMs?: number) => Promise<Received[]>;
  close: () => Promise<void>;
}

export async function startReceiver(opts: ReceiverOptions = {}): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: Received = { method: req.method ?? 'POST', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(got);
      const answer = receiver.respond?.(got) ?? { status: receiver.statuses.shift() ?? receiver.status };
      res.writeHead(answer.status ?? 200, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const receiver: Receiver = {
    url: `${origin}${opts.path ?? '/hook'}`,
    origin,
    received,
    statuses: [...(opts.statuses ?? [])],
    status: opts.status ?? 200,
    respond: opts.respond,
    waitFor: async (n, where, giveUpMs = 5_000) => {
      const hits = () => (where ? received.filter(where) : received);
      const deadline = Date.now() + giveUpMs;
      while (hits().length < n) {
        if (Date.now() > deadline) throw new Error(`receiver: ${hits().length} of ${n} expected requests arrived`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return hits();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return receiver;
}
