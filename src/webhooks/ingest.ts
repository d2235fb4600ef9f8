import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { HubError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import type { WebhookSource } from '../store/repos/webhook-sources.ts';
import { getScheme } from './schemes/index.ts';
import type { HandshakeReply, WebhookRequest } from './schemes/types.ts';
import type { GroupCommitter } from './group-commit.ts';
import { SourceRateLimiter } from './source-rate.ts';
import type { WebhookMetrics } from './metrics.ts';
import { openSecrets, type SecretBox } from './sources.ts';

export interface IncomingRequest {
  provider: string;
  sourceId: string;
  rawBody: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  method: string;
  /** The public URL the provider called (HubSpot v2/v3 sign it). */
  url: string;
}

export type IngestResult =
  | { kind: 'stored'; eventId: string; duplicate: boolean; reply?: HandshakeReply }
  | { kind: 'handshake'; reply: HandshakeReply; eventId?: string };

/** Headers never stored with an event: credentials, not delivery metadata. */
const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-api-key']);
const MAX_KEY = 200;

function flatHeaders(h: IncomingRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const bounded = (s: string) => (s.length <= MAX_KEY ? s : `sha256:${sha256(s)}`);

/**
 * The receiving endpoint's logic, in order: find the source, check content
 * type and rate, answer unsigned handshakes, verify the signature over the
 * raw bytes, answer signed handshakes, derive the dedup key, and hand the
 * event to group commit. It resolves only after the event is durable.
 */
export class Ingestor {
  private readonly cache = new Map<string, { source: (WebhookSource & { secrets: string[] }) | undefined; until: number }>();
  private readonly rate = new SourceRateLimiter();
  private readonly store: Store;
  private readonly committer: GroupCommitter;
  private readonly metrics: WebhookMetrics;
  private readonly log: Logger;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly box: SecretBox;

  constructor(deps: { store: Store; box: SecretBox; committer: GroupCommitter; metrics: WebhookMetrics; log: Logger; sourceCacheMs: number; now?: () => number }) {
    this.box = deps.box;
    this.store = deps.store;
    this.committer = deps.committer;
    this.metrics = deps.metrics;
    this.log = deps.log;
    this.cacheMs = deps.sourceCacheMs;
    this.now = deps.now ?? Date.now;
  }

  /** Forget a cached source after it changed in this process (other processes see it within sourceCacheMs). */
  invalidate(sourceId: string): void {
    this.cache.delete(sourceId);
  }

  private async source(id: string): Promise<(WebhookSource & { secrets: string[] }) | undefined> {
    const now = this.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.source;
    let row: WebhookSource | undefined;
    try {
      row = await this.store.webhookSourceLookup.byId(id);
    } catch (err) {
      throw new HubError('unavailable', 'The event store is unavailable; retry later', { cause: err });
    }
    // Opened once per cache fill; the vault registers the plaintexts for redaction.
    const source = row && { ...row, secrets: openSecrets(this.box, row) };
    if (this.cacheMs > 0) this.cache.set(id, { source, until: now + this.cacheMs });
    return source;
  }

  async receive(incoming: IncomingRequest): Promise<IngestResult> {
    const started = performance.now();
    const provider = incoming.provider;
    try {
      const result = await this.handle(incoming);
      this.metrics.events.inc({ provider, outcome: result.kind === 'handshake' ? 'handshake' : result.duplicate ? 'duplicate' : 'accepted' });
      if (result.kind === 'stored') this.metrics.ingestSeconds.observe({ provider }, (performance.now() - started) / 1000);
      return result;
    } catch (err) {
      this.metrics.events.inc({ provider, outcome: err instanceof HubError ? err.code : 'internal' });
      throw err;
    }
  }

  private async handle(incoming: IncomingRequest): Promise<IngestResult> {
    const source = await this.source(incoming.sourceId);
    if (!source || source.provider !== incoming.provider) throw new HubError('not_found', `No webhook source ${incoming.sourceId} for ${incoming.provider}`);
    if (source.status === 'disabled') throw new HubError('gone', 'This webhook source is disabled');
    const scheme = getScheme(source.scheme);
    if (!scheme) throw new HubError('internal', `source ${source.id} names unknown scheme ${source.scheme}`);

    const headers = flatHeaders(incoming.headers);
    const mediaType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!scheme.contentTypes.includes(mediaType) && !(mediaType === '' && incoming.rawBody.length === 0 && !scheme.jsonBody)) {
      throw new HubError('unsupported_media_type', `The ${scheme.name} scheme accepts ${scheme.contentTypes.join(', ')}`);
    }
    const now = this.now();
    if (source.rateLimitPerSec) {
      const wait = this.rate.take(source.id, source.rateLimitPerSec, now);
      if (wait > 0) throw new HubError('rate_limited', `This source accepts ${source.rateLimitPerSec} events per second`, { headers: { 'retry-after': String(wait) } });
    }

    const req: WebhookRequest = { rawBody: incoming.rawBody, headers, method: incoming.method, url: incoming.url };
    const ctx = { secrets: source.secrets, options: source.options, now };
    const early = scheme.handshake?.(req, ctx, false);
    if (early) return this.handshake(source, scheme, req, headers, early);

    const verdict = await scheme.verify(req, ctx);
    if (!verdict.ok) {
      // The reason is for operators; the caller learns only that it failed.
      this.log.warn({ sourceId: source.id, provider: source.provider, code: verdict.code, reason: verdict.reason }, 'webhook rejected');
      throw new HubError(verdict.code === 'timestamp_out_of_window' ? 'timestamp_out_of_window' : 'signature_invalid');
    }
    const late = scheme.handshake?.(req, ctx, true);
    if (late) return this.handshake(source, scheme, req, headers, late);

    const body = this.parse(scheme.jsonBody, incoming.rawBody);
    const stored = await this.commit(source, scheme, req, headers, body, now);
    return { kind: 'stored', ...stored, ...(scheme.successReply ? { reply: scheme.successReply } : {}) };
  }

  private parse(json: boolean, raw: Buffer): unknown {
    if (!json) return undefined;
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch (_err) {
      throw new HubError('invalid_json', 'The body is not valid JSON', { errors: [{ field: 'body', message: 'is not valid JSON' }] });
    }
  }

  private async handshake(source: WebhookSource, scheme: NonNullable<ReturnType<typeof getScheme>>, req: WebhookRequest, headers: Record<string, string>, reply: HandshakeReply): Promise<IngestResult> {
    if (!reply.record) return { kind: 'handshake', reply };
    const stored = await this.commit(source, scheme, req, headers, this.parse(scheme.jsonBody, req.rawBody), this.now());
    return { kind: 'handshake', reply, eventId: stored.eventId };
  }

  private async commit(source: WebhookSource, scheme: NonNullable<ReturnType<typeof getScheme>>, req: WebhookRequest, headers: Record<string, string>, body: unknown, now: number) {
    const described = scheme.describe(req, body, source.options);
    const dedupKey = bounded(described.deliveryId ?? `sha256:${sha256(req.rawBody)}`);
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (!DROPPED_HEADERS.has(k)) kept[k] = v;
    try {
      return await this.committer.submit({
        tenantId: source.tenantId, sourceId: source.id, provider: source.provider, eventType: described.type.slice(0, 200),
        dedupKey, body: req.rawBody, headers: kept, receivedAt: now,
      });
    } catch (err) {
      this.log.error({ err, sourceId: source.id }, 'webhook could not be stored');
      throw new HubError('unavailable', 'The event could not be stored; retry later', { cause: err });
    }
  }
}
