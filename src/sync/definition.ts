import { z } from 'zod';
import type { FieldError } from '../domain/errors.ts';
import type { SyncEndpoint, SyncRow } from '../store/repos/sync-definitions.ts';

/**
 * A sync definition: what the API accepts (`SyncInput`, checked here with
 * every error named by its path) and what the engine reads (`SyncDefinition`,
 * the stored row with its options typed).
 */
export const DIRECTIONS = ['one_way', 'bidirectional'] as const;
export const CONFLICT_POLICIES = ['last_writer_wins', 'source_wins', 'target_wins', 'field_merge', 'manual'] as const;
export const DELETE_POLICIES = ['propagate', 'soft_mark', 'ignore'] as const;
export const TRIGGERS = ['schedule', 'webhook', 'manual'] as const;

export type Direction = (typeof DIRECTIONS)[number];
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export type DeletePolicy = (typeof DELETE_POLICIES)[number];
export type Trigger = (typeof TRIGGERS)[number];
export type Side = 'source' | 'target';

export interface SyncOptions {
  key: {
    /** A target field (in `matchFields` of the target model) that finds an existing record instead of creating a duplicate. */
    matchField?: string;
    /** The same for records created on the source side in bidirectional mode. */
    sourceMatchField?: string;
  };
  conflict: {
    policy: ConflictPolicy;
    /** The side that wins when the policy cannot decide (equal times, no field-level times). */
    fallback: Side;
  };
  triggers: Trigger[];
  /** Webhook triggers only from these webhook sources; absent: any verified source of the side's provider in the tenant. */
  webhookSourceIds?: string[];
  /** A transform condition on the source record; records that fail it are skipped. */
  filter?: unknown;
  delete: {
    policy: DeletePolicy;
    /** `soft_mark`: written to the surviving record (a target path in the target's shape and its value). */
    mark?: { path: string; value: unknown };
  };
  /** Bidirectional only: target records with no link are created on the source side. */
  reverseCreates: boolean;
  pageSize?: number;
}

export interface SyncDefinition extends Omit<SyncRow, 'options'> {
  options: SyncOptions;
}

const endpoint = z.strictObject({
  connectionId: z.string().min(1).max(40),
  model: z.string().min(1).max(100),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const syncInputSchema = z.strictObject({
  name: z.string().min(1).max(200),
  source: endpoint,
  target: endpoint,
  mappingId: z.string().min(1).max(40),
  mappingVersion: z.number().int().min(1).nullable().optional(),
  direction: z.enum(DIRECTIONS).default('one_way'),
  key: z.strictObject({ matchField: z.string().min(1).max(100).optional(), sourceMatchField: z.string().min(1).max(100).optional() }).default({}),
  conflictPolicy: z.enum(CONFLICT_POLICIES).default('source_wins'),
  conflictFallback: z.enum(['source', 'target']).default('source'),
  schedule: z.string().min(1).max(100).nullable().optional(),
  triggers: z.array(z.enum(TRIGGERS)).max(3).default(['manual']),
  webhookSourceIds: z.array(z.string().min(1).max(40)).max(20).optional(),
  filters: z.unknown().optional(),
  deletePolicy: z.enum(DELETE_POLICIES).default('ignore'),
  deleteMark: z.strictObject({ path: z.string().min(1).max(300), value: z.unknown() }).optional(),
  reverseCreates: z.boolean().default(true),
  pageSize: z.number().int().min(1).max(1000).optional(),
  status: z.enum(['active', 'paused']).default('active'),
});

export type SyncInput = z.input<typeof syncInputSchema>;
export type ParsedSyncInput = z.output<typeof syncInputSchema>;

const fieldPath = (path: readonly PropertyKey[]): string => path.map(String).join('.') || '(body)';

export function parseSyncInput(raw: unknown): { ok: true; value: ParsedSyncInput } | { ok: false; errors: FieldError[] } {
  const r = syncInputSchema.safeParse(raw);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message })) };
  const v = r.data;
  const errors: FieldError[] = [];
  if (v.deleteMark && v.deletePolicy !== 'soft_mark') errors.push({ field: 'deleteMark', message: 'only a soft_mark delete policy writes a mark' });
  if (v.triggers.includes('schedule') && !v.schedule) errors.push({ field: 'schedule', message: 'the schedule trigger needs a cron schedule' });
  if (v.direction === 'one_way' && v.key.sourceMatchField) errors.push({ field: 'key.sourceMatchField', message: 'only bidirectional syncs create records on the source side' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: v };
}

export function optionsOf(v: ParsedSyncInput): SyncOptions {
  return {
    key: { ...(v.key.matchField ? { matchField: v.key.matchField } : {}), ...(v.key.sourceMatchField ? { sourceMatchField: v.key.sourceMatchField } : {}) },
    conflict: { policy: v.conflictPolicy, fallback: v.conflictFallback },
    triggers: [...new Set(v.triggers)],
    ...(v.webhookSourceIds ? { webhookSourceIds: v.webhookSourceIds } : {}),
    ...(v.filters !== undefined ? { filter: v.filters } : {}),
    delete: { policy: v.deletePolicy, ...(v.deleteMark ? { mark: v.deleteMark } : {}) },
    reverseCreates: v.reverseCreates,
    ...(v.pageSize ? { pageSize: v.pageSize } : {}),
  };
}

const DEFAULT_OPTIONS: SyncOptions = { key: {}, conflict: { policy: 'source_wins', fallback: 'source' }, triggers: ['manual'], delete: { policy: 'ignore' }, reverseCreates: true };

/** The stored row with its options typed; rows written by an older version get today's defaults for new keys. */
export function definitionOf(row: SyncRow): SyncDefinition {
  const o = row.options as Partial<SyncOptions>;
  return { ...row, options: { ...DEFAULT_OPTIONS, ...o, key: { ...o.key }, conflict: { ...DEFAULT_OPTIONS.conflict, ...o.conflict }, delete: { ...DEFAULT_OPTIONS.delete, ...o.delete } } };
}

/** The public shape of a sync (the API's and the input's field names). */
export function syncView(d: SyncDefinition) {
  const o = d.options;
  return {
    id: d.id, name: d.name, source: d.source as SyncEndpoint, target: d.target as SyncEndpoint, mappingId: d.mappingId, mappingVersion: d.mappingVersion,
    direction: d.direction, key: o.key, conflictPolicy: o.conflict.policy, conflictFallback: o.conflict.fallback, schedule: d.schedule,
    triggers: o.triggers, webhookSourceIds: o.webhookSourceIds ?? null, filters: o.filter ?? null, deletePolicy: o.delete.policy,
    deleteMark: o.delete.mark ?? null, reverseCreates: o.reverseCreates, pageSize: o.pageSize ?? null, status: d.status,
    createdAt: d.createdAt, updatedAt: d.updatedAt,
  };
}
