/** Leaves shorter than this (`bearer`, a scope name) would mask ordinary words in logs. */
const MIN_LEAF_LENGTH = 12;

/**
 * The strings worth registering with the log redactor for one plaintext:
 * the plaintext itself and, when it is a JSON credentials blob, each string
 * inside it (an access token is logged on its own far more often than the
 * whole blob).
 */
export function redactableValues(plaintext: string): string[] {
  const out = new Set<string>([plaintext]);
  const trimmed = plaintext.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      collect(JSON.parse(plaintext), out, 0);
    } catch {
      // Not JSON after all: the whole plaintext is already registered.
    }
  }
  return [...out];
}

function collect(value: unknown, out: Set<string>, depth: number): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (value.length >= MIN_LEAF_LENGTH) out.add(value);
  }
  else if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v, out, depth + 1);
}
