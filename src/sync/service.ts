import { Cron } from 'croner';
import { HubError, notFound, type FieldError } from '../domain/errors.ts';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { Store } from '../store/store.ts';
import type { SyncRun } from '../store/repos/sync-runs.ts';
import type { CompileOptions } from '../transform/index.ts';
import { definitionOf, optionsOf, parseSyncInput, syncView, type SyncDefinition, type SyncOptions } from './definition.ts';
import type { RunMode } from './engine.ts';
import { syncId } from './ids.ts';
import type { SyncRunner } from './runner.ts';
import { compileSyncMapping } from './sync-mapping.ts';

/**
 * Sync definitions and manual runs. A definition is checked against what it
 * names before it is stored: the connections, the connector models (and
 * that the written sides can be written), the key fields, the mapping (it
 * must compile, and have a reverse for a bidirectional sync), the filter and
 * the cron expression. Every problem comes back with its field.
 */
export interface SyncServiceOptions {
  store: Store;
  registry: ConnectorRegistry;
  runner: SyncRunner;
  compile?: CompileOptions;
  now?: () => number;
}

export type SyncPatchInput = Partial<{ name: string; status: 'active' | 'paused'; schedule: string | null; triggers: SyncOptions['triggers']; conflictPolicy: SyncOptions['conflict']['policy']; conflictFallback: SyncOptions['conflict']['fallback']; mappingVersion: number | null }>;

export function validCron(expr: string): string | undefined {
  try {
    new Cron(expr, { paused: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export class SyncService {
  private readonly o: SyncServiceOptions;
  private readonly now: () => number;

  constructor(options: SyncServiceOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  async create(tenantId: string, raw: unknown): Promise<ReturnType<typeof syncView>> {
    const parsed = parseSyncInput(raw);
    if (!parsed.ok) throw new HubError('validation_failed', 'the sync definition is not valid', { errors: parsed.errors });
    const v = parsed.value;
    const now = this.now();
    const def: SyncDefinition = {
      id: syncId(now), tenantId, name: v.name, source: v.source, target: v.target, mappingId: v.mappingId, mappingVersion: v.mappingVersion ?? null,
      direction: v.direction, options: optionsOf(v), schedule: v.schedule ?? null, status: v.status, createdAt: now, updatedAt: now,
    };
    await this.check(tenantId, def);
    await this.o.store.forTenant(tenantId).syncs.create({ ...def, options: def.options as unknown as Record<string, unknown> });
    return syncView(def);
  }

  async get(tenantId: string, id: string): Promise<SyncDefinition> {
    const row = await this.o.store.forTenant(tenantId).syncs.get(id);
    if (!row) throw notFound('sync', id);
    return definitionOf(row);
  }

  async update(tenantId: string, id: string, patch: SyncPatchInput): Promise<ReturnType<typeof syncView>> {
    const def = await this.get(tenantId, id);
    const options: SyncOptions = {
      ...def.options,
      ...(patch.triggers ? { triggers: [...new Set(patch.triggers)] } : {}),
      conflict: { policy: patch.conflictPolicy ?? def.options.conflict.policy, fallback: patch.conflictFallback ?? def.options.conflict.fallback },
    };
    const next: SyncDefinition = {
      ...def, options, ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.status ? { status: patch.status } : {}),
      ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}), ...(patch.mappingVersion !== undefined ? { mappingVersion: patch.mappingVersion } : {}),
      updatedAt: this.now(),
    };
    await this.check(tenantId, next);
    await this.o.store.forTenant(tenantId).syncs.update(id, { name: next.name, status: next.status, schedule: next.schedule, options: next.options as unknown as Record<string, unknown>, mappingVersion: next.mappingVersion }, next.updatedAt);
    return syncView(next);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.o.store.forTenant(tenantId).syncs.delete(id))) throw notFound('sync', id);
  }

  /** A manual run (`POST /syncs/{id}/run`). */
  async run(tenantId: string, id: string, mode: Exclude<RunMode, 'records'> = 'incremental'): Promise<SyncRun> {
    const def = await this.get(tenantId, id);
    if (def.status !== 'active') throw new HubError('conflict', `sync ${id} is paused`);
    if (!def.options.triggers.includes('manual')) throw new HubError('conflict', `sync ${id} does not allow manual runs (triggers: ${def.options.triggers.join(', ')})`);
    const started = await this.o.runner.enqueue(tenantId, id, { mode, trigger: 'manual' });
    return (await this.o.store.forTenant(tenantId).syncRuns.get(started!.runId))!;
  }

  async getRun(tenantId: string, syncId: string, runId: string): Promise<SyncRun> {
    const run = await this.o.store.forTenant(tenantId).syncRuns.get(runId);
    if (!run || run.syncId !== syncId) throw notFound('run', runId);
    return run;
  }

  private async check(tenantId: string, def: SyncDefinition): Promise<void> {
    const t = this.o.store.forTenant(tenantId);
    const errors: FieldError[] = [];
    const models: Partial<Record<'source' | 'target', NonNullable<ReturnType<ConnectorRegistry['model']>>>> = {};
    for (const side of ['source', 'target'] as const) {
      const e = def[side];
      const conn = await t.connections.get(e.connectionId);
      if (!conn) {
        errors.push({ field: `${side}.connectionId`, message: `connection ${e.connectionId} does not exist` });
        continue;
      }
      const model = this.o.registry.model(conn.provider, e.model);
      if (!model) {
        errors.push({ field: `${side}.model`, message: `${conn.provider} has no model ${e.model} (models: ${Object.keys(this.o.registry.get(conn.provider)?.models ?? {}).join(', ') || 'no connector'})` });
        continue;
      }
      models[side] = model;
      if ((side === 'target' || def.direction === 'bidirectional') && !model.upsert) errors.push({ field: `${side}.model`, message: `${conn.provider} ${e.model} cannot be written` });
    }
    const key = (field: string | undefined, side: 'source' | 'target', at: string) => {
      const m = models[side];
      if (!field || !m) return;
      const plain = field.split('.').at(-1)!;
      if (!m.matchFields?.some((f) => f === field || f === plain)) errors.push({ field: at, message: `${m.name} cannot match on ${field} (match fields: ${m.matchFields?.join(', ') || 'none'})` });
    };
    key(def.options.key.matchField, 'target', 'key.matchField');
    key(def.options.key.sourceMatchField, 'source', 'key.sourceMatchField');
    const mapping = await t.mappings.get(def.mappingId, def.mappingVersion);
    if (!mapping) {
      errors.push({ field: def.mappingVersion ? 'mappingVersion' : 'mappingId', message: `mapping ${def.mappingId}${def.mappingVersion ? ` v${def.mappingVersion}` : ''} does not exist` });
    } else {
      const compiled = compileSyncMapping(mapping.spec, def.options.filter, this.o.compile);
      if (!compiled.ok) errors.push(...compiled.errors.map((e) => ({ field: e.path.startsWith('filters') ? e.path : `mapping.${e.path}`, message: e.message })));
      else if (def.direction === 'bidirectional' && !compiled.mapping.reverse) errors.push({ field: 'direction', message: 'a bidirectional sync needs a mapping with a reverse (declared or derivable)' });
    }
    if (def.schedule) {
      const problem = validCron(def.schedule);
      if (problem) errors.push({ field: 'schedule', message: problem });
    }
    for (const [i, id] of (def.options.webhookSourceIds ?? []).entries()) {
      if (!(await t.webhookSources.get(id))) errors.push({ field: `webhookSourceIds.${i}`, message: `webhook source ${id} does not exist` });
    }
    if (errors.length > 0) throw new HubError('validation_failed', 'the sync definition is not valid', { errors });
  }
}
