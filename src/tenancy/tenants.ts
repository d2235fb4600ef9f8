import { HubError, invalid } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { mintApiKey } from '../domain/api-key.ts';
import { isScope, type Scope } from '../domain/scopes.ts';
import type { Store } from '../store/store.ts';
import type { Tenant } from '../store/repos/tenants.ts';
import type { ApiKeyRecord } from '../store/repos/api-keys.ts';
import { audit } from '../observability/audit.ts';

const TENANT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface Actor {
  /** `key_…` for API calls, `cli` for the command line, `system` for the hub itself. */
  id: string;
  requestId?: string;
}

export async function createTenant(store: Store, name: string, actor: Actor): Promise<Tenant> {
  if (!TENANT_NAME.test(name)) throw invalid('name', 'use 1-63 lowercase letters, digits, dot, dash or underscore, starting with a letter or digit');
  return store.transaction(async (tx) => {
    if (await tx.tenants.byName(name)) throw new HubError('conflict', `tenant ${name} already exists`, { errors: [{ field: 'name', message: 'already exists' }] });
    const tenant = { id: newId('tenant'), name, createdAt: Date.now() };
    await tx.tenants.create(tenant);
    await audit(tx.forTenant(tenant.id), { actor: actor.id, action: 'tenant.create', target: tenant.id, requestId: actor.requestId ?? null, details: { name } });
    return tenant;
  });
}

export function parseScopes(input: readonly string[]): Scope[] {
  const scopes = [...new Set(input.map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0) throw invalid('scopes', 'at least one scope is required');
  const bad = scopes.find((s) => !isScope(s));
  if (bad) throw invalid('scopes', `unknown scope ${bad}`);
  return scopes as Scope[];
}

/** Creates a key and returns its plaintext. The plaintext exists only in this return value. */
export async function createApiKey(
  store: Store,
  tenantId: string,
  input: { name: string; scopes: readonly string[] },
  actor: Actor,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const scopes = parseScopes(input.scopes);
  if (!input.name || input.name.length > 200) throw invalid('name', 'must be 1-200 characters');
  const minted = mintApiKey();
  const id = newId('apiKey');
  const createdAt = Date.now();
  await store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    await t.apiKeys.create({ id, name: input.name, prefix: minted.prefix, salt: minted.salt, hash: minted.hash, scopes, createdAt });
    await audit(t, { actor: actor.id, action: 'api_key.create', target: id, requestId: actor.requestId ?? null, details: { name: input.name, scopes } });
  });
  return {
    key: minted.key,
    record: { id, tenantId, name: input.name, prefix: minted.prefix, scopes, createdAt, lastUsedAt: null, revokedAt: null },
  };
}

export async function revokeApiKey(store: Store, tenantId: string, keyId: string, actor: Actor): Promise<void> {
  await store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    const revoked = await t.apiKeys.revoke(keyId, Date.now());
    if (!revoked) {
      const existing = await t.apiKeys.get(keyId);
      if (!existing) throw new HubError('not_found', `API key ${keyId} does not exist`);
      throw new HubError('conflict', `API key ${keyId} is already revoked`);
    }
    await audit(t, { actor: actor.id, action: 'api_key.revoke', target: keyId, requestId: actor.requestId ?? null });
  });
}

/**
 * On an empty database, creates tenant `default` with one admin key. Returns
 * the key once; undefined when tenants already exist.
 */
export async function bootstrapDefaultTenant(store: Store): Promise<{ tenant: Tenant; key: string } | undefined> {
  if ((await store.tenants.count()) > 0) return undefined;
  const tenant = await createTenant(store, 'default', { id: 'system' });
  const { key } = await createApiKey(store, tenant.id, { name: 'bootstrap admin', scopes: ['admin'] }, { id: 'system' });
  return { tenant, key };
}
