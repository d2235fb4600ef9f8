/**
 * The shape of a mapping spec after validation. Specs arrive as YAML or JSON
 * (`spec-schema.ts` checks them); these types are what the compiler reads.
 */
export type Scalar = string | number | boolean | null;

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'datetime', 'email', 'phone', 'enum', 'array', 'object'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type Condition =
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition }
  | { path: string; eq?: Scalar; neq?: Scalar; in?: Scalar[]; exists?: boolean };

export interface ValidateSpec {
  required?: boolean;
  regex?: string;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  enum?: Scalar[];
}

/** A step with its arguments already parsed (defaults filled) by the function's schema. */
export interface ParsedStep {
  fn: string;
  args: Record<string, unknown>;
}

export interface FieldSpec {
  source?: string;
  target: string;
  type?: FieldType;
  /** The allowed values of an `enum` field. */
  values?: Scalar[];
  transform?: ParsedStep[];
  when?: Condition;
  validate?: ValidateSpec;
}

export interface GroupSpec {
  when: Condition;
  fields: EntrySpec[];
}

export type EntrySpec = FieldSpec | GroupSpec;

export const isGroup = (e: EntrySpec): e is GroupSpec => 'fields' in e;

/** Every target a list of entries can write. */
export const targetsOf = (entries: EntrySpec[]): string[] => entries.flatMap((e) => (isGroup(e) ? targetsOf(e.fields) : [e.target]));

export interface MappingSpec {
  version: number;
  name: string;
  description?: string;
  /** `fields` in the source text; both spellings land here. */
  forward: EntrySpec[];
  reverse?: EntrySpec[];
  /** Where `forward` came from in the source text, for error paths. */
  forwardKey: 'fields' | 'forward';
}
