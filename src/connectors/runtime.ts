import type { Logger } from 'pino';
import type { Catalog, AuthMode, ProviderOverrides } from '../catalog/index.ts';
import { ProviderClient, memoryBucketStore, type BucketStore, type CallEvent, type Token, type TokenSource } from '../http-client/index.ts';
import type { Cache } from '../cache/port.ts';
import type { Store } from '../store/store.ts';
import { HubError, notFound } from '../domain/errors.ts';
import { profileFromCatalog } from './profile.ts';
import type { ConnectorRegistry } from './registry.ts';
import type { Connector, ConnectorContext, ModelSpec } from './types.ts';

/** Fresh tokens for a stored connection; the connections service implements it (single-flight refresh). */
export interface TokenProvider {
  token(tenantId: string, connectionId: string): Promise<Token>;
  refresh(tenantId: string, connectionId: string): Promise<Token>;
}

export interface RuntimeOptions {
  store: Store;
  catalog: Catalog;
  registry: ConnectorRegistry;
  tokens: TokenProvider;
  log: Logger;
  /** Shared rate-limit buckets: memory for one process, Redis across processes. */
  buckets?: BucketStore;
  cache?: Cache;
  /** Per-provider URL overrides (CATALOG_OVERRIDES). */
  overrides?: Record<string, ProviderOverrides>;
  onCall?: (event: CallEvent & { tenantId: string }) => void;
  onRateLimitWait?: (ms: number, info: { provider: string; connectionId: string }) => void;
  /** Turns the proactive limiter off (benchmarks compare with and without). */
  rateLimit?: boolean;
}

export interface OpenedModel {
  connector: Connector;
  model: ModelSpec;
  ctx: ConnectorContext;
}

/**
 * Opens a connector model for a stored connection: one ProviderClient per
 * connection (kept, so its breaker and limiter state last), built from the
 * catalog entry, the connection's config and auth mode, and a token source
 * backed by the connections service.
 */
export class ConnectorRuntime {
  private readonly clients = new Map<string, { key: string; client: ProviderClient }>();
  private readonly buckets: BucketStore;
  private readonly opts: RuntimeOptions;

  constructor(opts: RuntimeOptions) {
    this.opts = opts;
    this.buckets = opts.buckets ?? memoryBucketStore();
  }

  async open(tenantId: string, connectionId: string, modelName: string, params: Record<string, unknown> = {}, signal?: AbortSignal): Promise<OpenedModel> {
    const conn = await this.opts.store.forTenant(tenantId).connections.get(connectionId);
    if (!conn) throw notFound('connection', connectionId);
    if (conn.status === 'needs_reauth' || conn.status === 'revoked') throw new HubError('conflict', `connection ${connectionId} is ${conn.status}`);
    const connector = this.opts.registry.get(conn.provider);
    if (!connector) throw new HubError('not_found', `no connector for provider ${conn.provider}`);
    if ((await this.opts.store.forTenant(tenantId).connectorSettings.disabled()).has(conn.provider)) {
      throw new HubError('conflict', `the ${conn.provider} connector is turned off for this tenant (PATCH /api/v1/connectors/${conn.provider})`);
    }
    const model = connector.models[modelName];
    if (!model) throw new HubError('not_found', `connector ${conn.provider} has no model ${modelName} (models: ${Object.keys(connector.models).join(', ')})`, { errors: [{ field: 'model', message: 'unknown model' }] });
    const client = this.client(tenantId, conn.id, conn.provider, conn.authMode as AuthMode, conn.config, conn.updatedAt);
    const ctx: ConnectorContext = {
      client,
      connection: { id: conn.id, tenantId, provider: conn.provider, config: conn.config },
      params,
      log: this.opts.log.child({ provider: conn.provider, connectionId: conn.id, model: modelName }),
      ...(this.opts.cache ? { cache: this.opts.cache } : {}),
      ...(signal ? { signal } : {}),
    };
    return { connector, model, ctx };
  }

  /** Health of every client this process has opened (circuit state by connection). */
  health(): { connectionId: string; provider: string; breaker: string }[] {
    return [...this.clients.entries()].map(([id, c]) => ({ connectionId: id, provider: c.client.profile.provider, breaker: c.client.health().breaker }));
  }

  private client(tenantId: string, connectionId: string, provider: string, authMode: AuthMode, config: Record<string, unknown>, version: number): ProviderClient {
    const key = `${version}`;
    const known = this.clients.get(connectionId);
    if (known && known.key === key) return known.client;
    const entry = this.opts.catalog.require(provider);
    const profile = profileFromCatalog(entry, { authMode, connectionConfig: config, ...(this.opts.overrides?.[provider] ? { overrides: this.opts.overrides[provider] } : {}) });
    const tokens: TokenSource = {
      getToken: () => this.opts.tokens.token(tenantId, connectionId),
      refresh: () => this.opts.tokens.refresh(tenantId, connectionId),
    };
    const client = new ProviderClient({
      profile, connectionId, tokens, buckets: this.buckets,
      ...(this.opts.rateLimit === false ? { rateLimit: false } : {}),
      ...(this.opts.onCall ? { onCall: (e: CallEvent) => this.opts.onCall!({ ...e, tenantId }) } : {}),
      ...(this.opts.onRateLimitWait ? { onRateLimitWait: this.opts.onRateLimitWait } : {}),
    });
    this.clients.set(connectionId, { key, client });
    return client;
  }
}
