import { makeId, USER_ID } from './ids.ts';
import { objectDef, OBJECTS, type ObjectDef } from './schema.ts';

export type Rec = Record<string, unknown>;

export interface Change {
  kind: 'created' | 'updated' | 'deleted';
  type: string;
  record: Rec;
}

/** Salesforce's wire format for datetimes: `2024-01-01T00:00:00.000+0000`. */
export const sfDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/**
 * All records of the org, kept in insertion order per type. Deletes are soft
 * (IsDeleted = true, as in the recycle bin) so queryAll can still see them.
 * Writes inside begin()/commit() can be rolled back (allOrNone) and their
 * change notices are released together (one outbound message per batch).
 */
export class SfStore {
  private readonly tables = new Map<string, Map<string, Rec>>();
  private readonly serials = new Map<string, number>();
  private undo: (() => void)[] | null = null;
  private pending: Change[] = [];
  /** Receives each committed batch of changes (outbound messages listen here). */
  onCommit: (changes: Change[]) => void = () => undefined;
  clock: () => number = Date.now;

  constructor() {
    for (const o of OBJECTS) this.tables.set(o.name, new Map());
  }

  table(type: string): Map<string, Rec> {
    const t = this.tables.get(objectDef(type)?.name ?? type);
    if (!t) throw new Error(`unknown sObject ${type}`);
    return t;
  }

  get(type: string, id: string): Rec | undefined {
    return this.table(type).get(id);
  }

  count(type: string): number {
    return this.table(type).size;
  }

  nextId(obj: ObjectDef): string {
    const n = (this.serials.get(obj.name) ?? 0) + 1;
    this.serials.set(obj.name, n);
    return makeId(obj.keyPrefix, n);
  }

  /** Inserts a validated record; `at` lets seeds backdate CreatedDate. */
  insert(obj: ObjectDef, values: Rec, at = this.clock()): Rec {
    const id = this.nextId(obj);
    const stamp = sfDateTime(at);
    const rec: Rec = {};
    for (const fd of obj.fields) rec[fd.name] = fd.defaultValue ?? null;
    Object.assign(rec, values, {
      Id: id, IsDeleted: false, OwnerId: values.OwnerId ?? USER_ID, CreatedDate: stamp, CreatedById: USER_ID,
      LastModifiedDate: stamp, LastModifiedById: USER_ID, SystemModstamp: stamp,
    });
    derive(obj, rec);
    this.table(obj.name).set(id, rec);
    this.record(() => this.table(obj.name).delete(id));
    this.changed({ kind: 'created', type: obj.name, record: rec });
    return rec;
  }

  update(obj: ObjectDef, rec: Rec, values: Rec): Rec {
    const before = { ...rec };
    Object.assign(rec, values);
    const stamp = sfDateTime(Math.max(this.clock(), Date.parse(String(before.SystemModstamp)) + 1));
    rec.LastModifiedDate = stamp;
    rec.SystemModstamp = stamp;
    derive(obj, rec);
    this.record(() => Object.assign(rec, before));
    this.changed({ kind: 'updated', type: obj.name, record: rec });
    return rec;
  }

  softDelete(obj: ObjectDef, rec: Rec): void {
    const before = { ...rec };
    rec.IsDeleted = true;
    rec.SystemModstamp = sfDateTime(this.clock());
    this.record(() => Object.assign(rec, before));
    this.changed({ kind: 'deleted', type: obj.name, record: rec });
  }

  begin(): void {
    this.undo = [];
  }

  commit(): void {
    this.undo = null;
    this.flush();
  }

  rollback(): void {
    const steps = this.undo ?? [];
    for (let i = steps.length - 1; i >= 0; i -= 1) steps[i]?.();
    this.undo = null;
    this.pending = [];
  }

  private record(step: () => void): void {
    this.undo?.push(step);
  }

  private changed(c: Change): void {
    this.pending.push({ ...c, record: { ...c.record } });
    if (!this.undo) this.flush();
  }

  private flush(): void {
    const out = this.pending;
    this.pending = [];
    if (out.length > 0) this.onCommit(out);
  }
}

/** Formula-like fields Salesforce computes on save. */
function derive(obj: ObjectDef, rec: Rec): void {
  if ((obj.name === 'Lead' || obj.name === 'Contact')) {
    rec.Name = [rec.FirstName, rec.LastName].filter((x) => typeof x === 'string' && x !== '').join(' ');
  }
  if (obj.name === 'Opportunity') {
    const stage = String(rec.StageName ?? '');
    rec.IsClosed = stage.startsWith('Closed');
    rec.IsWon = stage === 'Closed Won';
  }
}
