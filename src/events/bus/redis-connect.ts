import { Redis, type RedisOptions } from 'ioredis';
import { BusError } from './port.ts';

/**
 * Opens an ioredis client and waits until it is ready, so an unreachable
 * Redis fails the caller at start-up with the address and the socket error
 * instead of queueing commands forever.
 */
export async function connectRedis(url: string, opts: RedisOptions = {}): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, ...opts });
  let lastError: Error | undefined;
  const remember = (err: Error) => { lastError = err; };
  client.on('error', remember);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    const where = safeAddress(url);
    throw new BusError(`cannot reach Redis at ${where}: ${(lastError ?? (err as Error)).message}`, { cause: lastError ?? err });
  }
  return client;
}

/** host:port of a URL without its credentials, for error messages. */
export function safeAddress(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparseable url)';
  }
}
