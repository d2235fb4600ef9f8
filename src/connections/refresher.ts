import type { ConnectionsContext } from './context.ts';
import { refreshConnection } from './refresh.ts';

export interface RefreshDueResult {
  refreshed: number;
  failed: number;
}

const SYSTEM = { id: 'system:refresher' };

/**
 * Refreshes every active connection whose refresh time has come, so that
 * token reads rarely wait for a refresh. Safe to run in many workers at
 * once: each refresh takes the same lease as a token read. Failures are
 * recorded on the connection (backoff, needs_reauth) by refresh itself.
 */
export async function refreshDue(ctx: ConnectionsContext, now: number, limit: number): Promise<RefreshDueResult> {
  const due = await ctx.store.connectionMaintenance.dueForRefresh(now, limit);
  let refreshed = 0;
  let failed = 0;
  for (const { id, tenantId } of due) {
    try {
      await refreshConnection(ctx, tenantId, id, { actor: SYSTEM });
      refreshed++;
    } catch (err) {
      failed++;
      ctx.log.warn({ err, connectionId: id }, 'background refresh failed');
    }
  }
  return { refreshed, failed };
}

/** Runs `refreshDue` every `intervalMs` until stopped; for the worker role. */
export function startRefresher(run: () => Promise<RefreshDueResult>, intervalMs: number, onError: (err: unknown) => void): { stop: () => Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    current = run().catch(onError).finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
