/**
 * Keeps secrets out of logs two ways: any field whose name looks like a
 * secret is masked wherever it appears, and any string equal to (or
 * containing) a value registered at runtime — an API key shown once, a
 * vault plaintext — is masked too.
 */
const SECRET_KEY = /(secret|token|password|passwd|authorization|cookie|api[-_]?key|credential|private[-_]?key|signature|assertion)/i;
export const MASK = '[redacted]';
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 8;

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a plaintext that must never be logged. Short values are ignored: they would mask ordinary words. */
  add(value: string | undefined | null): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  string(s: string): string {
    let out = s;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  value(input: unknown, depth = 0): unknown {
    if (typeof input === 'string') return this.string(input);
    if (input === null || typeof input !== 'object' || depth > MAX_DEPTH) return input;
    if (input instanceof Error) return this.value({ type: input.name, message: input.message, stack: input.stack, code: (input as { code?: unknown }).code }, depth);
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' && typeof v !== 'number' ? MASK : this.value(v, depth + 1);
    }
    return out;
  }
}
