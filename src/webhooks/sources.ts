import { HubError, invalid, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { Store } from '../store/store.ts';
import type { SourcePatch, WebhookSource } from '../store/repos/webhook-sources.ts';
import { audit } from '../observability/audit.ts';
import { getScheme, SchemeOptionsError } from './schemes/index.ts';
import { DEFAULT_SCHEME, PROVIDERS } from './providers.ts';

/** Seals secrets at rest (the vault). */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export const secretsContext = (sourceId: string) => `webhook_source:${sourceId}:secrets`;

export function openSecrets(box: SecretBox, s: Pick<WebhookSource, 'id' | 'sealedSecrets'>): string[] {
  return JSON.parse(box.open(s.sealedSecrets, secretsContext(s.id))) as string[];
}

export interface SourceInput {
  provider: string;
  name: string;
  scheme?: string;
  secrets?: string[];
  options?: Record<string, unknown>;
  rateLimitPerSec?: number | null;
  status?: 'active' | 'disabled';
}

/** What the API shows of a source: never the secrets, only how many there are. */
export interface PublicSource extends Omit<WebhookSource, 'sealedSecrets'> {
  url: string;
  secretCount: number;
}

export function publicSource(box: SecretBox, s: WebhookSource, baseUrl: string): PublicSource {
  const { sealedSecrets: _sealed, ...rest } = s;
  return { ...rest, url: `${baseUrl.replace(/\/$/, '')}/api/v1/webhooks/${s.provider}/${s.id}`, secretCount: openSecrets(box, s).length };
}

function checkOptions(scheme: string, options: Record<string, unknown>): Record<string, unknown> {
  const impl = getScheme(scheme);
  if (!impl) throw invalid('scheme', `unknown scheme ${scheme}`);
  try {
    return impl.parseOptions(options);
  } catch (err) {
    if (err instanceof SchemeOptionsError) throw invalid(`options.${err.field}`, err.message);
    throw err;
  }
}

function checkSecrets(secrets: string[]): string[] {
  secrets.forEach((s, i) => {
    if (typeof s !== 'string' || s.length < 1 || s.length > 4096) throw invalid(`secrets.${i}`, 'must be 1-4096 characters');
  });
  return secrets;
}

export interface Actor {
  id: string;
  requestId?: string;
}

export async function createSource(store: Store, box: SecretBox, tenantId: string, input: SourceInput, actor: Actor): Promise<WebhookSource> {
  if (!PROVIDERS.includes(input.provider)) throw invalid('provider', `unknown provider ${input.provider}; use one of ${PROVIDERS.join(', ')}`);
  const scheme = input.scheme ?? DEFAULT_SCHEME[input.provider]!;
  const options = checkOptions(scheme, input.options ?? {});
  const secrets = checkSecrets(input.secrets ?? []);
  const now = Date.now();
  const id = newId('source', now);
  const source: WebhookSource = {
    id, tenantId, provider: input.provider, scheme, name: input.name, sealedSecrets: box.seal(JSON.stringify(secrets), secretsContext(id)), options,
    status: input.status ?? 'active', rateLimitPerSec: input.rateLimitPerSec ?? null, createdAt: now, updatedAt: now,
  };
  await store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    await t.webhookSources.create(source);
    await audit(t, { actor: actor.id, action: 'webhook_source.create', target: source.id, requestId: actor.requestId ?? null, details: { provider: source.provider, scheme, name: source.name, secretCount: secrets.length } });
  });
  return source;
}

export type SourceChanges = Omit<SourcePatch, 'sealedSecrets'> & { secrets?: string[] };

export async function updateSource(store: Store, box: SecretBox, tenantId: string, id: string, patch: SourceChanges, actor: Actor): Promise<WebhookSource> {
  return store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    const current = await t.webhookSources.get(id);
    if (!current) throw notFound('webhook source', id);
    const { secrets, ...rest } = patch;
    const clean: SourcePatch = { ...rest };
    if (patch.options !== undefined) clean.options = checkOptions(current.scheme, patch.options);
    if (secrets !== undefined) {
      if (secrets.length === 0 && current.scheme !== 'notion') throw invalid('secrets', 'at least one secret is required');
      clean.sealedSecrets = box.seal(JSON.stringify(checkSecrets(secrets)), secretsContext(id));
    }
    await t.webhookSources.update(id, clean, Date.now());
    const changed = Object.keys(patch).filter((k) => k !== 'secrets').concat(patch.secrets ? ['secrets (rotated)'] : []);
    await audit(t, { actor: actor.id, action: 'webhook_source.update', target: id, requestId: actor.requestId ?? null, details: { changed } });
    const updated = await t.webhookSources.get(id);
    if (!updated) throw new HubError('internal', 'source vanished during update');
    return updated;
  });
}

export async function deleteSource(store: Store, tenantId: string, id: string, actor: Actor): Promise<void> {
  await store.transaction(async (tx) => {
    const t = tx.forTenant(tenantId);
    if (!(await t.webhookSources.delete(id))) throw notFound('webhook source', id);
    await audit(t, { actor: actor.id, action: 'webhook_source.delete', target: id, requestId: actor.requestId ?? null });
  });
}
