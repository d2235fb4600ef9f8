import { z } from 'zod';

/**
 * The provider catalog's schema: one YAML file per provider under
 * `catalog/`, validated at boot and in CI. Unknown keys fail loudly.
 * URL fields may hold `${connectionConfig.x}` templates (Salesforce instance,
 * Shopify shop); every URL can be overridden per connection or by env so the
 * sandbox fakes and self-hosted instances work.
 */
const TEMPLATE = /\$\{([^}]*)\}/g;
const TEMPLATE_VAR = /^connectionConfig\.([a-zA-Z][a-zA-Z0-9_]*)$/;

/** The `connectionConfig` names a URL's `${…}` templates refer to. */
export function templateNames(value: string): string[] {
  return [...value.matchAll(TEMPLATE)].map((m) => TEMPLATE_VAR.exec(m[1] ?? '')?.[1] ?? '');
}

/**
 * Substitutes placeholders for templates so the rest of the URL can be
 * checked now: a template standing for the whole origin becomes an https
 * origin, one inside a host or path becomes a plain word.
 */
function withPlaceholders(value: string): string {
  return value.replace(TEMPLATE, (_m, _name, offset: number) => (offset === 0 ? 'https://placeholder.invalid' : 'placeholder'));
}

const url = z.string().min(1).regex(/^(https?:\/\/|\$\{)/, 'must be an http(s) URL or start with a ${…} template').superRefine((value, ctx) => {
  for (const m of value.matchAll(TEMPLATE)) {
    if (!TEMPLATE_VAR.test(m[1] ?? '')) ctx.addIssue({ code: 'custom', message: `template ${m[0]} must look like \${connectionConfig.name}` });
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(withPlaceholders(value));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL (after template expansion)' });
});

/** The URL schema, exported so overrides are checked by the same rule as catalog files. */
export const urlSchema = url;

export const AUTH_MODES = ['oauth2', 'client_credentials', 'jwt_bearer', 'github_app', 'service_account', 'api_key', 'basic'] as const;
/** Connection-config names that override catalog URLs for one connection, so providers cannot declare them as ordinary settings. */
export const CONNECTION_URL_OVERRIDES = ['baseUrl', 'authorizationUrl', 'tokenUrl', 'revokeUrl', 'audience', 'installationTokenUrl'] as const;

const tokenResponse = z.object({
  /** Field holding the lifetime in seconds (default `expires_in`). */
  expiresInField: z.string().default('expires_in'),
  /** Lifetime to assume when the provider sends none; null = never expires. */
  defaultExpiresInSec: z.number().int().positive().nullable().default(null),
  /** Does a refresh return a new refresh token that replaces the old one? */
  refreshTokenRotation: z.enum(['yes', 'no', 'unknown']),
  /** Extra response fields to keep in the connection config (e.g. Salesforce `instance_url`). */
  keepFields: z.array(z.string()).default([]),
  /**
   * `documented` when the provider states the access-token lifetime;
   * `unknown` when it does not (then `defaultExpiresInSec` is a guess or null,
   * and a 401 should trigger a refresh rather than be trusted as final).
   */
  accessTokenLifetime: z.enum(['documented', 'unknown']).default('documented'),
  /** Response field → connection-config name, e.g. Salesforce `instance_url` → `instanceUrl`. */
  configFromResponse: z.record(z.string(), z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/)).default({}),
}).strict();

const oauth2 = z.object({
  mode: z.literal('oauth2'),
  authorizationUrl: url,
  tokenUrl: url,
  revokeUrl: url.optional(),
  scopes: z.array(z.string()).default([]),
  scopeSeparator: z.enum([' ', ',', '+']).default(' '),
  pkce: z.enum(['required', 'supported', 'no', 'unknown']),
  tokenAuthMethod: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
  /** How the token request body is encoded: RFC 6749 form, or JSON (Notion). */
  tokenBodyFormat: z.enum(['form', 'json']).default('form'),
  /** Extra query parameters on the authorize URL (e.g. `access_type: offline`). */
  authorizationParams: z.record(z.string(), z.string()).default({}),
  tokenResponse,
}).strict();

const clientCredentials = z.object({
  mode: z.literal('client_credentials'),
  tokenUrl: url,
  scopes: z.array(z.string()).default([]),
  scopeSeparator: z.enum([' ', ',', '+']).default(' '),
  tokenAuthMethod: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
  tokenResponse,
}).strict();

/** RFC 7523 JWT bearer grant (Salesforce server-to-server). */
const jwtBearer = z.object({
  mode: z.literal('jwt_bearer'),
  tokenUrl: url,
  /** The `aud` claim (Salesforce: the login URL). */
  audience: url,
  algorithm: z.enum(['RS256', 'ES256', 'EdDSA']).default('RS256'),
  assertionTtlSec: z.number().int().positive().max(3600).default(180),
  tokenResponse,
}).strict();

/** GitHub App: an app JWT (≤ 10 min) exchanged for 1-hour installation tokens. */
const githubApp = z.object({
  mode: z.literal('github_app'),
  installationTokenUrl: url,
  appJwtTtlSec: z.number().int().positive().max(600).default(540),
  installationTokenTtlSec: z.number().int().positive().default(3600),
}).strict();

/** Google service account: a self-signed JWT exchanged at the token URL. */
const serviceAccount = z.object({
  mode: z.literal('service_account'),
  tokenUrl: url,
  scopes: z.array(z.string()).default([]),
  assertionTtlSec: z.number().int().positive().max(3600).default(3600),
  tokenResponse,
}).strict();

const apiKey = z.object({
  mode: z.literal('api_key'),
  /** Where the key goes: a header (with optional prefix) or a query parameter. */
  in: z.enum(['header', 'query']).default('header'),
  name: z.string().min(1).default('Authorization'),
  prefix: z.string().default('Bearer '),
}).strict();

const basic = z.object({
  mode: z.literal('basic'),
  /** What the username and password are called in this provider's docs (e.g. WordPress application passwords). */
  usernameLabel: z.string().default('username'),
  passwordLabel: z.string().default('password'),
}).strict();

export const authSpec = z.discriminatedUnion('mode', [oauth2, clientCredentials, jwtBearer, githubApp, serviceAccount, apiKey, basic]);
export type AuthSpecOf<M extends AuthMode> = Extract<AuthSpec, { mode: M }>;

const rateLimits = z.object({
  limits: z.array(z.object({
    points: z.number().positive(),
    durationMs: z.number().int().positive(),
    scope: z.enum(['account', 'app', 'token', 'user']),
    /** What the limit applies to when not every call (e.g. HubSpot search). */
    appliesTo: z.string().optional(),
    note: z.string().optional(),
  }).strict()).default([]),
  /** Response headers that tell the remaining budget; formats say how to read them. */
  headers: z.object({
    limit: z.string().optional(),
    remaining: z.string().optional(),
    reset: z.string().optional(),
    resetFormat: z.enum(['seconds', 'epoch-seconds', 'epoch-ms', 'ms', 'http-date']).optional(),
    /** One header carrying used/limit together (Salesforce `Sforce-Limit-Info: api-usage=18/100000`). */
    usage: z.string().optional(),
    retryAfterFormat: z.enum(['seconds', 'ms', 'http-date']).default('seconds'),
  }).strict().default({ retryAfterFormat: 'seconds' }),
  /** Statuses that mean "slow down" besides 429 (GitHub answers 403). */
  limitedStatuses: z.array(z.number().int()).default([429]),
}).strict();

const pagination = z.object({
  preset: z.enum(['cursor', 'offset', 'page', 'link', 'next-records-url', 'monday-items-page', 'page-token', 'notion-cursor', 'stripe-cursor', 'none']),
  /** Preset parameters: request/response field names, page size limits. */
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
}).strict();

const webhooks = z.object({
  /** A scheme name registered in src/webhooks/schemes. */
  scheme: z.string().min(1),
  /** Other schemes a source of this provider may pick. */
  alternatives: z.array(z.string()).default([]),
  handshake: z.string().optional(),
  notes: z.string().optional(),
}).strict();

const configField = z.object({
  type: z.enum(['string', 'url', 'integer']),
  description: z.string(),
  required: z.boolean().default(false),
  pattern: z.string().optional(),
  example: z.string().optional(),
  /** Value used when the connection does not set one (e.g. Salesforce `loginUrl`). */
  default: z.string().optional(),
  /** Auth modes this field applies to; absent = all. `required` only binds connections using one of them. */
  modes: z.array(z.enum(AUTH_MODES)).min(1).optional(),
}).strict().superRefine((field, ctx) => {
  if (field.pattern === undefined) return;
  let re: RegExp;
  try {
    re = new RegExp(field.pattern);
  } catch (err) {
    ctx.addIssue({ code: 'custom', path: ['pattern'], message: `is not a valid regular expression (${(err as Error).message})` });
    return;
  }
  if (field.default !== undefined && !re.test(field.default)) ctx.addIssue({ code: 'custom', path: ['default'], message: `does not match pattern ${field.pattern}` });
});

export const providerEntry = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  displayName: z.string().min(1),
  docs: z.string().url().optional(),
  /** Every auth mode the provider supports; a connection picks one. */
  auth: z.array(authSpec).min(1),
  api: z.object({
    baseUrl: url,
    /** Headers sent on every call (API version pins: `Notion-Version`, `API-Version`). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Other hosts the same credentials call, by name (Google: Sheets on one host, Drive on another). */
    additionalBaseUrls: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), url).default({}),
    /** How an access token is presented on API calls (Shopify: `X-Shopify-Access-Token` without prefix). */
    tokenHeader: z.object({
      name: z.string().min(1).default('Authorization'),
      prefix: z.string().default('Bearer '),
    }).strict().default({ name: 'Authorization', prefix: 'Bearer ' }),
  }).strict(),
  rateLimits,
  pagination: pagination.default({ preset: 'none', params: {} }),
  webhooks: webhooks.optional(),
  /** Per-connection settings (instance URL, shop, subdomain) referenced as ${connectionConfig.x}. */
  connectionConfig: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), configField).default({}),
  /** Facts that are UNCONFIRMED upstream, so readers know which values are knobs. */
  unconfirmed: z.array(z.string()).default([]),
  /** Free text for operators: variants not modelled, caveats. */
  notes: z.string().optional(),
}).strict().superRefine((entry, ctx) => {
  const seen = new Set<string>();
  entry.auth.forEach((spec, i) => {
    if (seen.has(spec.mode)) ctx.addIssue({ code: 'custom', path: ['auth', i, 'mode'], message: `auth mode ${spec.mode} appears twice; a provider lists each mode once` });
    seen.add(spec.mode);
  });
  for (const name of Object.keys(entry.connectionConfig)) {
    if ((CONNECTION_URL_OVERRIDES as readonly string[]).includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['connectionConfig', name], message: `${name} is reserved for per-connection URL overrides` });
    }
  }
  for (const [path, value] of urlFields(entry)) {
    for (const name of templateNames(value)) {
      if (name && !(name in entry.connectionConfig)) {
        ctx.addIssue({ code: 'custom', path, message: `template refers to connectionConfig.${name}, which connectionConfig does not declare` });
      }
    }
  }
});

/** Every URL-valued field of an entry with its key path (the paths overrides and templates act on). */
export function urlFields(entry: {
  auth: readonly Record<string, unknown>[];
  api: { baseUrl: string; additionalBaseUrls?: Record<string, string> };
}): [(string | number)[], string][] {
  const out: [(string | number)[], string][] = [[['api', 'baseUrl'], entry.api.baseUrl]];
  for (const [name, value] of Object.entries(entry.api.additionalBaseUrls ?? {})) out.push([['api', 'additionalBaseUrls', name], value]);
  entry.auth.forEach((spec, i) => {
    for (const key of AUTH_URL_KEYS) {
      const value = spec[key];
      if (typeof value === 'string') out.push([['auth', i, key], value]);
    }
  });
  return out;
}

/** The URL-valued keys of auth specs, across all modes. */
export const AUTH_URL_KEYS = ['authorizationUrl', 'tokenUrl', 'revokeUrl', 'audience', 'installationTokenUrl'] as const;

export type ProviderEntry = z.infer<typeof providerEntry>;
export type ConfigField = z.infer<typeof configField>;
export type AuthSpec = z.infer<typeof authSpec>;
export type AuthMode = AuthSpec['mode'];
