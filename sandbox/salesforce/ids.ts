/**
 * Salesforce record ids: a 3-char key prefix (00Q Lead, 001 Account ...),
 * pod and reserved chars, a 9-char base-62 serial, then the 3-char suffix
 * that makes the 18-char form survive case-insensitive tools.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-char case-safety suffix: one char per 5-char chunk, bit i set when char i is upper case. */
export function caseSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX[bits];
  }
  return out;
}

export function makeId(prefix: string, serial: number): string {
  let s = '';
  let n = serial;
  for (let i = 0; i < 9; i += 1) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  const id15 = `${prefix}5g0${s.slice(-9)}`.slice(0, 15);
  return id15 + caseSuffix(id15);
}

/** Accepts 15- or 18-char ids and returns the 18-char form, or undefined when malformed. */
export function to18(id: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return undefined;
  const id15 = id.slice(0, 15);
  const full = id15 + caseSuffix(id15);
  if (id.length === 18 && id.slice(15).toUpperCase() !== full.slice(15)) return undefined;
  return full;
}

export const ORG_ID = makeId('00D', 7);
export const USER_ID = makeId('005', 1);
