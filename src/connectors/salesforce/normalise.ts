/**
 * Salesforce records as the hub sees them: the sObject's own API field names
 * (FirstName, Custom__c …), `id` instead of `Id`, no `attributes`, and
 * datetimes as ISO strings. Salesforce writes datetimes as
 * `2024-01-01T00:00:00.000+0000`, which Date.parse does not read everywhere.
 */
export type SfRecord = Record<string, unknown> & { id: string };

/** `…+0000` → `…Z`; anything else that parses becomes ISO; null stays null. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const fixed = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(fixed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function epochMs(value: unknown): number {
  const iso = isoTime(value);
  return iso ? Date.parse(iso) : 0;
}

export function normaliseRecord(raw: Record<string, unknown>, datetimeFields: ReadonlySet<string>): SfRecord {
  const { attributes: _attributes, Id, ...fields } = raw;
  const out: Record<string, unknown> = { id: String(Id) };
  for (const [name, value] of Object.entries(fields)) out[name] = datetimeFields.has(name) ? isoTime(value) : value;
  return out as SfRecord;
}

/** When the record last changed: SystemModstamp moves on system changes too, so it is the replication clock. */
export function modifiedAtOf(raw: Record<string, unknown>): number {
  return epochMs(raw.SystemModstamp ?? raw.LastModifiedDate ?? raw.CreatedDate);
}

/** Salesforce ids: 15 case-sensitive characters, or 18 with a case-safety suffix. */
export function isSalesforceId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value);
}
