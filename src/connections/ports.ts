import type { ProviderEntry } from '../catalog/schema.ts';
import type { ProviderOverrides } from '../catalog/overrides.ts';

/**
 * What the connections service needs from its neighbours, as small ports.
 * The vault (src/vault) and the catalog loader (src/catalog) satisfy these
 * structurally; tests may pass anything with the same shape.
 */
export interface SecretBox {
  /** Encrypts `plaintext`, binding it to `context` (authenticated, not secret). */
  seal(plaintext: string, context: string): string;
  /** Decrypts; throws when the value or its context was tampered with or the key is missing. */
  open(sealed: string, context: string): string;
}

export interface ProviderCatalog {
  get(providerId: string): ProviderEntry | undefined;
}

/** Registers plaintexts that must never reach a log line. */
export interface SecretRegistry {
  add(value: string | undefined | null): void;
  /** Masks every registered value in `s`. */
  string(s: string): string;
}

/** Per-provider app registration: the OAuth client, an app-level key, and URL overrides. */
export interface ProviderClient {
  clientId?: string;
  clientSecret?: string;
  /** App-level signing key (PEM) for GitHub App and JWT bearer when connections do not bring their own. */
  privateKey?: string;
  /** Replaces the catalog's default scopes. */
  scopes?: string[];
  /** URL overrides in CATALOG_OVERRIDES syntax (`auth.oauth2.tokenUrl`, `api.baseUrl`), for this provider only. */
  overrides?: ProviderOverrides;
}

export type ProviderClients = Record<string, ProviderClient>;

/** Who caused something, for the audit log. */
export interface Actor {
  id: string;
  requestId?: string | null;
}

export interface LogPort {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
