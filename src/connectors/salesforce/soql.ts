/**
 * SOQL text the connector builds. Values are always escaped literals and
 * names come from describe or a validated identifier, so nothing a caller
 * passes can change the shape of a query.
 */

/** sObject and field API names: letters, digits, underscores (custom ones end `__c`). */
export function assertName(name: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(name)) throw new Error(`salesforce: invalid ${what} name ${JSON.stringify(name)}`);
  return name;
}

export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Datetime literals are unquoted in SOQL. */
export function soqlDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`salesforce: invalid watermark time ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString();
}

export function soqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return soqlString(String(value));
}

export function changesQuery(object: string, fields: string[], since: string | null): string {
  const where = since ? ` WHERE SystemModstamp >= ${soqlDateTime(since)}` : '';
  return `SELECT ${fields.join(', ')} FROM ${assertName(object, 'sObject')}${where} ORDER BY SystemModstamp ASC, Id ASC`;
}

export function deletedQuery(object: string, since: string): string {
  return `SELECT Id, SystemModstamp FROM ${assertName(object, 'sObject')} WHERE IsDeleted = true AND SystemModstamp >= ${soqlDateTime(since)} ORDER BY SystemModstamp ASC`;
}

export function lookupQuery(object: string, field: string, values: unknown[]): string {
  return `SELECT Id, ${assertName(field, 'field')} FROM ${assertName(object, 'sObject')} WHERE ${field} IN (${values.map(soqlValue).join(', ')})`;
}
