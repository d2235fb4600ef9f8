import type { Connection } from '../store/repos/connections.ts';

/** A connection as the API shows it: status and timing, never credentials. */
export interface ConnectionView {
  id: string;
  provider: string;
  externalId: string;
  authMode: string;
  status: string;
  expiresAt: number | null;
  config: Record<string, unknown>;
  lastRefreshError: string | null;
  refreshFailures: number;
  nextRefreshAt: number | null;
  lastRefreshedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export function connectionView(c: Connection): ConnectionView {
  return {
    id: c.id, provider: c.provider, externalId: c.externalId, authMode: c.authMode, status: c.status, expiresAt: c.expiresAt,
    config: c.config, lastRefreshError: c.lastRefreshError, refreshFailures: c.refreshFailures, nextRefreshAt: c.nextRefreshAt,
    lastRefreshedAt: c.lastRefreshedAt, createdAt: c.createdAt, updatedAt: c.updatedAt,
  };
}
