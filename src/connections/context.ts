import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { HubError, notFound } from '../domain/errors.ts';
import { audit } from '../observability/audit.ts';
import type { Store } from '../store/store.ts';
import type { Connection } from '../store/repos/connections.ts';
import { openCredentials, type Credentials } from './credentials.ts';
import { ConnectionEvents, type ConnectionEventName } from './events.ts';
import type { HttpPolicy } from './oauth-client.ts';
import type { Actor, ProviderCatalog, ProviderClients, SecretBox, SecretRegistry, LogPort } from './ports.ts';
import { DEFAULT_REFRESH_POLICY, type RefreshPolicy } from './refresh-policy.ts';
import { SingleFlight } from './single-flight.ts';
import { ReadAudit } from './read-audit.ts';


export interface ConnectionServiceOptions {
  store: Store;
  vault: SecretBox;
  catalog: ProviderCatalog;
  /** The logger's redactor: every plaintext opened from the vault is registered. */
  secrets: SecretRegistry;
  providers?: ProviderClients;
  refresh?: Partial<RefreshPolicy>;
  http?: Partial<HttpPolicy>;
  /** How long an authorization `state` (and its PKCE verifier) lives. */
  stateTtlMs?: number;
  /** Identifies this process in the refresh lease; unique per process. */
  holderId?: string;
  log?: LogPort;
  clock?: () => number;
  /** Token reads are audited in batches this often (see read-audit.ts). */
  readAuditFlushMs?: number;
  /**
   * How long a token read may reuse the connection row it read last (0 =
   * read it every time). A refresh, delete or status change made by another
   * process shows within this window; this process's own changes at once.
   */
  rowCacheMs?: number;
}

/** Everything the connection functions share; built once by ConnectionService. */
export interface ConnectionsContext {
  store: Store;
  vault: SecretBox;
  catalog: ProviderCatalog;
  secrets: SecretRegistry;
  providers: ProviderClients;
  policy: RefreshPolicy;
  http: HttpPolicy;
  stateTtlMs: number;
  holderId: string;
  log: LogPort;
  now: () => number;
  events: ConnectionEvents;
  flights: SingleFlight;
  cache: CredentialCache;
  reads: ReadAudit;
  rows: RowCache;
}

const silent: LogPort = { info: () => {}, warn: () => {}, error: () => {} };

export type { LogPort };

export function makeContext(o: ConnectionServiceOptions): ConnectionsContext {
  const log = o.log ?? silent;
  return {
    store: o.store, vault: o.vault, catalog: o.catalog, secrets: o.secrets, providers: o.providers ?? {},
    policy: { ...DEFAULT_REFRESH_POLICY, ...o.refresh },
    http: { allowInsecure: false, timeoutMs: 10_000, ...o.http },
    stateTtlMs: o.stateTtlMs ?? 10 * 60_000,
    holderId: o.holderId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    log, now: o.clock ?? Date.now,
    events: new ConnectionEvents((err, e) => log.error({ err, event: e.name, connectionId: e.connectionId }, 'connection event listener failed')),
    flights: new SingleFlight(),
    cache: new CredentialCache(10_000),
    reads: new ReadAudit(o.store, log, o.readAuditFlushMs ?? 200),
    rows: new RowCache(o.rowCacheMs ?? 1000, 10_000),
  };
}

/**
 * Opened credentials keyed by connection and credentials version, so a hot
 * token read skips the decrypt. The version comes from the row read on every
 * call, so another process's refresh is never missed.
 */
export class CredentialCache {
  readonly #max: number;
  readonly #entries = new Map<string, { version: number; sealed: string; creds: Credentials }>();

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string, version: number, sealed: string): Credentials | undefined {
    const e = this.#entries.get(key);
    return e && e.version === version && e.sealed === sealed ? e.creds : undefined;
  }

  set(key: string, version: number, sealed: string, creds: Credentials): void {
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { version, sealed, creds });
  }

  drop(key: string): void {
    this.#entries.delete(key);
  }
}

/** Recently read connection rows, for the token read hot path only. */
export class RowCache {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #rows = new Map<string, { conn: Connection; until: number }>();

  constructor(ttlMs: number, max: number) {
    this.#ttlMs = ttlMs;
    this.#max = max;
  }

  get(key: string, now: number): Connection | undefined {
    const e = this.#rows.get(key);
    return e && e.until > now ? e.conn : undefined;
  }

  set(key: string, conn: Connection, now: number): void {
    if (this.#ttlMs <= 0) return;
    if (this.#rows.size >= this.#max) this.#rows.delete(this.#rows.keys().next().value as string);
    this.#rows.set(key, { conn, until: now + this.#ttlMs });
  }

  drop(key: string): void {
    this.#rows.delete(key);
  }
}

/** Forgets what this process remembers of a connection after it changed it. */
export function forget(ctx: ConnectionsContext, tenantId: string, id: string): void {
  ctx.rows.drop(`${tenantId}:${id}`);
  ctx.cache.drop(`${tenantId}:${id}`);
}

/** The token read's row: from the short row cache when it is there, else from the store. */
export async function loadConnectionForRead(ctx: ConnectionsContext, tenantId: string, id: string): Promise<Connection> {
  const key = `${tenantId}:${id}`;
  const now = ctx.now();
  const hit = ctx.rows.get(key, now);
  if (hit) return hit;
  const conn = await loadConnection(ctx, tenantId, id);
  ctx.rows.set(key, conn, now);
  return conn;
}

export function credentialsOf(ctx: ConnectionsContext, conn: Connection): Credentials {
  const key = `${conn.tenantId}:${conn.id}`;
  const hit = ctx.cache.get(key, conn.credentialsVersion, conn.sealedCredentials);
  if (hit) return hit;
  const creds = openCredentials(ctx.vault, ctx.secrets, conn.tenantId, conn.id, conn.sealedCredentials);
  ctx.cache.set(key, conn.credentialsVersion, conn.sealedCredentials, creds);
  return creds;
}

export async function loadConnection(ctx: ConnectionsContext, tenantId: string, id: string): Promise<Connection> {
  const conn = await ctx.store.forTenant(tenantId).connections.get(id);
  if (!conn) throw notFound('connection', id);
  return conn;
}

/** A connection that needs a human (or was revoked) cannot hand out tokens. */
export function assertUsable(conn: Connection): void {
  if (conn.status === 'needs_reauth') throw new HubError('conflict', `connection ${conn.id} needs re-authorization: connect it again (${conn.lastRefreshError ?? 'the provider refused its refresh token'})`);
  if (conn.status === 'revoked') throw new HubError('gone', `connection ${conn.id} was revoked`);
}

export async function record(ctx: ConnectionsContext, conn: Pick<Connection, 'tenantId' | 'id' | 'provider'>, action: string, actor: Actor, details: Record<string, unknown> = {}, event?: ConnectionEventName): Promise<void> {
  const at = ctx.now();
  await audit(ctx.store.forTenant(conn.tenantId), { actor: actor.id, action, target: conn.id, requestId: actor.requestId ?? null, details: { provider: conn.provider, ...details } }, at);
  if (event) ctx.events.emit({ name: event, tenantId: conn.tenantId, connectionId: conn.id, provider: conn.provider, at, details });
}
