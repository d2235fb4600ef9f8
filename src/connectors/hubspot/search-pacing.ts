import type { ProviderClient } from '../../http-client/index.ts';

/**
 * The CRM search endpoints have their own limit, 5 requests per second per
 * account, which the catalog marks `appliesTo: search` and the client's
 * limiter therefore does not apply. This paces searches per client (one
 * connection) in a sliding one-second window; a 429 that still happens
 * (another process searching the same account) is retried by the client.
 */
export const SEARCHES_PER_SECOND = 5;
const WINDOW_MS = 1_000;

const recent = new WeakMap<ProviderClient, number[]>();

export async function paceSearch(client: ProviderClient, perSecond = SEARCHES_PER_SECOND, signal?: AbortSignal): Promise<void> {
  const times = recent.get(client) ?? [];
  recent.set(client, times);
  for (;;) {
    const now = Date.now();
    while (times.length > 0 && now - (times[0] as number) >= WINDOW_MS) times.shift();
    if (times.length < perSecond) {
      times.push(now);
      return;
    }
    signal?.throwIfAborted();
    await new Promise((r) => setTimeout(r, WINDOW_MS - (now - (times[0] as number)) + 1));
  }
}
