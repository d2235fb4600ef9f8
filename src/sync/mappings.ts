import { HubError, notFound } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import type { StoredMapping } from '../store/repos/mappings.ts';
import type { Page, PageQuery } from '../store/repos/paging.ts';
import { compileMapping, parseSpecText, preview, type CompileOptions, type PreviewResult, type SpecError } from '../transform/index.ts';
import { syncRowId } from './ids.ts';

/**
 * Mappings stored per tenant and versioned: a mapping keeps its id, and each
 * change is a new version (the spec's own `version` is set to it). A spec is
 * stored only after it compiles; every problem is reported with its path.
 */
export type SpecInput = Record<string, unknown> | string;

function specErrors(errors: SpecError[]): HubError {
  return new HubError('validation_failed', `the mapping has ${errors.length} error${errors.length === 1 ? '' : 's'}`, {
    errors: errors.map((e) => ({ field: e.path === '' ? 'spec' : `spec.${e.path}`, message: e.message })),
  });
}

/** Parses (YAML/JSON text or an object) and compiles; returns the spec object or throws with every error. */
export function checkSpec(input: SpecInput, options: CompileOptions = {}): Record<string, unknown> {
  let spec: unknown = input;
  if (typeof input === 'string') {
    const parsed = parseSpecText(input);
    if (!parsed.ok) throw specErrors(parsed.errors);
    spec = parsed.value;
  }
  const compiled = compileMapping(spec, options);
  if (!compiled.ok) throw specErrors(compiled.errors);
  return spec as Record<string, unknown>;
}

export class MappingService {
  private readonly store: Store;
  private readonly compile: CompileOptions;
  private readonly now: () => number;

  constructor(store: Store, opts: { compile?: CompileOptions; now?: () => number } = {}) {
    this.store = store;
    this.compile = opts.compile ?? {};
    this.now = opts.now ?? Date.now;
  }

  async create(tenantId: string, input: { spec: SpecInput }): Promise<StoredMapping> {
    const spec = checkSpec(input.spec, this.compile);
    const now = this.now();
    const m = { id: syncRowId('mapping', now), version: 1, name: String(spec.name), spec: { ...spec, version: 1 }, createdAt: now };
    await this.store.forTenant(tenantId).mappings.create(m);
    return { ...m, tenantId };
  }

  /** A new version of an existing mapping. */
  async update(tenantId: string, id: string, input: { spec: SpecInput }): Promise<StoredMapping> {
    const t = this.store.forTenant(tenantId);
    const latest = await t.mappings.get(id);
    if (!latest) throw notFound('mapping', id);
    const spec = checkSpec(input.spec, this.compile);
    const version = latest.version + 1;
    const m = { id, version, name: String(spec.name), spec: { ...spec, version }, createdAt: this.now() };
    await t.mappings.create(m);
    return { ...m, tenantId };
  }

  async get(tenantId: string, id: string, version?: number): Promise<StoredMapping> {
    const m = await this.store.forTenant(tenantId).mappings.get(id, version);
    if (!m) throw notFound('mapping', version ? `${id} v${version}` : id);
    return m;
  }

  list(tenantId: string, q: PageQuery = {}): Promise<Page<StoredMapping>> {
    return this.store.forTenant(tenantId).mappings.list(q);
  }

  versions(tenantId: string, id: string): Promise<{ version: number; name: string; createdAt: number }[]> {
    return this.store.forTenant(tenantId).mappings.versions(id);
  }

  async preview(tenantId: string, id: string, input: { records: unknown[]; direction?: 'forward' | 'reverse'; version?: number }): Promise<PreviewResult> {
    const m = await this.get(tenantId, id, input.version);
    return preview(m.spec, input.records, { ...this.compile, ...(input.direction ? { direction: input.direction } : {}) });
  }
}
