import type { Logger } from 'pino';
import type { ProviderClient } from '../http-client/index.ts';
import type { Cache } from '../cache/port.ts';

/**
 * The connector contract. A connector declares models; each model reads
 * changes page by page and writes in batches through the provider client,
 * which already handles auth, rate limits, retries and the breaker. A
 * connector holds only what the catalog cannot say. Connectors never import
 * each other; the sync engine and the Actions API see only this file.
 */
export type JsonSchema = Record<string, unknown>;

export interface ConnectorContext {
  /** The authenticated client for this connection. */
  client: ProviderClient;
  connection: { id: string; tenantId: string; provider: string; config: Readonly<Record<string, unknown>> };
  /** Model parameters from the caller (Monday `boardId`, a Sheets `spreadsheetId` and `sheet`, a Notion `databaseId` …). */
  params: Readonly<Record<string, unknown>>;
  cache?: Cache;
  log: Logger;
  signal?: AbortSignal;
}

export interface RecordChange<T = Record<string, unknown>> {
  /** The provider's id of the record. */
  id: string;
  /** The normalised record (the model's schema). */
  record: T;
  /** When the provider last modified it (epoch ms). */
  modifiedAt: number;
  /** Field-level modification times where the provider reports them (for field_merge conflicts). */
  fieldModifiedAt?: Record<string, number>;
}

export interface ChangePage<T = Record<string, unknown>> {
  records: RecordChange<T>[];
  /** Ids deleted since `since`, where the provider can tell. */
  deletedIds: string[];
  /** Opaque cursor for the next page of this read; null on the last page. */
  nextCursor: string | null;
  /**
   * The watermark to read from next time (an ISO time or provider token):
   * only meaningful on the last page. Engines save it after the run.
   */
  watermark?: string | null;
}

export interface ListOptions {
  /** Changes after this watermark; null or absent = everything. */
  since?: string | null;
  cursor?: string | null;
  pageSize?: number;
}

export interface UpsertInput<T = Record<string, unknown>> {
  /** Update this record when given; otherwise create, or match by `matchField` when the model supports it. */
  id?: string;
  record: T;
  /** Find an existing record by this field's value instead of creating a duplicate (e.g. email). */
  matchField?: string;
}

export type UpsertResult = { ok: true; id: string; created: boolean; modifiedAt?: number } | { ok: false; error: string; retryable: boolean };

export type DeleteResult = { id: string; ok: true } | { id: string; ok: false; error: string; retryable: boolean };

/** What a verified webhook says changed, so a sync can read just those records. */
export interface WebhookChange {
  model: string;
  id: string;
  deleted?: boolean;
  /** Parameters the model needs to read it (Monday board id). */
  params?: Record<string, unknown>;
}

export interface ModelSpec<T = Record<string, unknown>> {
  name: string;
  description: string;
  schema: JsonSchema;
  /** Largest write batch the provider accepts. */
  batchLimit: number;
  /** Whether `list({ since })` returns only changes (true) or everything (false: the engine diffs by hash). */
  incremental: boolean;
  /** Fields `UpsertInput.matchField` may name. */
  matchFields?: readonly string[];
  /** Reads idempotent enough to cache, with a TTL. */
  cacheTtlMs?: number;
  list(ctx: ConnectorContext, opts: ListOptions): Promise<ChangePage<T>>;
  get(ctx: ConnectorContext, id: string): Promise<RecordChange<T> | undefined>;
  /** Batches of at most `batchLimit`; results line up with inputs. */
  upsert?(ctx: ConnectorContext, inputs: UpsertInput<T>[]): Promise<UpsertResult[]>;
  delete?(ctx: ConnectorContext, ids: string[]): Promise<DeleteResult[]>;
}

export interface WebhookEventInput {
  provider: string;
  type: string;
  body: unknown;
  headers: Readonly<Record<string, string>>;
}

export interface Connector {
  /** The catalog id (`hubspot`, `monday` …). */
  provider: string;
  models: Readonly<Record<string, ModelSpec<any>>>;
  /** Turns a verified webhook into record changes. */
  fromWebhook?(event: WebhookEventInput): WebhookChange[];
}
