import Fastify, { type FastifyInstance } from 'fastify';
import { loadCatalog, type Catalog } from '../../src/catalog/index.ts';
import { providerEntry, type ProviderEntry } from '../../src/catalog/schema.ts';
import { registerAuth } from '../../src/api/auth.ts';
import { errorHandler, problemSchema } from '../../src/api/problem.ts';
import { connectionRoutes } from '../../src/api/routes/connections.ts';
import { connectRoutes } from '../../src/api/routes/connect.ts';
import { ConnectionService, type ConnectionServiceOptions } from '../../src/connections/service.ts';
import { ServiceTokenVerifier, type ServiceTokenConfig } from '../../src/connections/service-token.ts';
import type { ProviderCatalog, ProviderClients } from '../../src/connections/ports.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { Redactor } from '../../src/observability/redact.ts';
import { openDatabase, type DatabaseHandle } from '../../src/store/dialect.ts';
import { migrateUp } from '../../src/store/migrate.ts';
import { createStore, type Store } from '../../src/store/store.ts';
import { createApiKey, createTenant } from '../../src/tenancy/tenants.ts';
import type { Scope } from '../../src/domain/scopes.ts';
import '../../src/api/types.ts';
import { generateMasterKey, formatKeyRing, KeyRing, parseKeyRing, Vault } from '../../src/vault/index.ts';

export const CATALOG_DIR = new URL('../../catalog/', import.meta.url).pathname;

let shipped: Promise<Catalog> | undefined;

/** The shipped catalog plus test-only entries (an oidc-provider server has no catalog file). */
export async function testCatalog(extra: Map<string, ProviderEntry> = new Map()): Promise<ProviderCatalog> {
  shipped ??= loadCatalog(CATALOG_DIR);
  const base = await shipped;
  // `extra` stays live: a test can add an entry once its server's URL is known.
  return { get: (id) => extra.get(id) ?? base.get(id) };
}

/** A catalog entry for a generic OAuth 2.0 server (oidc-provider in the tests). */
export function oauthServerEntry(id: string, issuer: string, rotation: 'yes' | 'no' | 'unknown' = 'yes'): ProviderEntry {
  return providerEntry.parse({
    id, displayName: id,
    auth: [{
      mode: 'oauth2', authorizationUrl: `${issuer}/auth`, tokenUrl: `${issuer}/token`, revokeUrl: `${issuer}/token/revocation`,
      scopes: ['openid', 'offline_access', 'api:read'], pkce: 'required', tokenAuthMethod: 'client_secret_post',
      authorizationParams: { prompt: 'consent' },
      tokenResponse: { refreshTokenRotation: rotation },
    }, {
      mode: 'client_credentials', tokenUrl: `${issuer}/token`, scopes: ['api:read'], tokenResponse: { refreshTokenRotation: 'no' },
    }],
    api: { baseUrl: `${issuer}/me` },
    rateLimits: {},
  });
}

export const newKeyRingText = (): string => formatKeyRing([generateMasterKey()]);
export const vaultOf = (text: string): Vault => new Vault(parseKeyRing(text));
export { KeyRing };

export interface TestApp {
  url: string;
  app: FastifyInstance;
  store: Store;
  db: DatabaseHandle;
  service: ConnectionService;
  redactor: Redactor;
  vault: Vault;
  /** The key ring as text, to start other processes on the same keys. */
  keyRingText: string;
  tenantId: string;
  adminKey: string;
  keyWith: (scopes: Scope[]) => Promise<string>;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  databaseUrl: string;
  catalog: ProviderCatalog;
  providers?: ProviderClients;
  /** Key ring text (parseKeyRing); a fresh one-key ring when absent. */
  keyRing?: string;
  serviceTokens?: ServiceTokenConfig;
  service?: Partial<ConnectionServiceOptions>;
  /** Run migrations and create a tenant (the first process does; others join with `tenantId`). */
  setup?: boolean;
  tenantId?: string;
  adminKey?: string;
}

/** A Fastify app with the connection routes on a real store, listening on 127.0.0.1. */
export async function startTestApp(o: TestAppOptions): Promise<TestApp> {
  const db = openDatabase(o.databaseUrl, { poolMax: 10 });
  const store = createStore(db);
  let tenantId = o.tenantId ?? '';
  let adminKey = o.adminKey ?? '';
  if (o.setup !== false) {
    await migrateUp(db.db);
    const tenant = await createTenant(store, 'acme', { id: 'test' });
    tenantId = tenant.id;
    adminKey = (await createApiKey(store, tenant.id, { name: 'admin', scopes: ['admin'] }, { id: 'test' })).key;
  }
  const redactor = new Redactor();
  const keyRingText = o.keyRing ?? newKeyRingText();
  const vault = new Vault(parseKeyRing(keyRingText));
  const service = new ConnectionService({
    store, vault, catalog: o.catalog, secrets: redactor, providers: o.providers ?? {}, ...o.service,
  });
  const app = Fastify({ logger: false });
  app.addSchema(problemSchema);
  app.setErrorHandler(errorHandler);
  registerAuth(app, store, createMetrics());
  const serviceTokens = o.serviceTokens ? new ServiceTokenVerifier(o.serviceTokens) : undefined;
  await app.register(connectionRoutes({ store, connections: service, ...(serviceTokens ? { serviceTokens } : {}) }), { prefix: '/api/v1' });
  await app.register(connectRoutes({ connections: service }), { prefix: '/api/v1' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url, app, store, db, service, redactor, vault, keyRingText, tenantId, adminKey,
    keyWith: async (scopes) => (await createApiKey(store, tenantId, { name: scopes.join(','), scopes }, { id: 'test' })).key,
    close: async () => {
      await app.close();
      await service.close();
      await db.close();
    },
  };
}
