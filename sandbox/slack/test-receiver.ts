import { createServer, type IncomingHttpHeaders } from 'node:http';

/**
 * A tiny webhook endpoint for tests: records every POST with its raw body and
 * answers with the next status from `statuses` (then 200).
 */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  statuses: number[];
  /** Resolves once at least `n` requests arrived (polls; tests end by their own timeout otherwise). */
  waitFor: (n: number) => Promise<Received[]>;
  close: () => Promise<void>;
}

export async function startReceiver(path = '/hooks/slack'): Promise<Receiver> {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    statuses,
    waitFor: async (n) => {
      while (received.length < n) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
