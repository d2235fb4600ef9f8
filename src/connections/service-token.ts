import { createSecretKey, type KeyObject } from 'node:crypto';
import { decodeJwt, errors as joseErrors, importSPKI, jwtVerify } from 'jose';
import { HubError } from '../domain/errors.ts';
import { hasScope, type Scope } from '../domain/scopes.ts';

/**
 * Service tokens let another service read connection tokens without an API
 * key: a short-lived JWT in `X-Service-Token`, signed with a shared secret
 * (HS256) or an Ed25519 key (EdDSA) that this hub knows per issuer.
 * Claims: `iss` (a configured issuer), `aud` (this hub), `exp` (required,
 * and at most `maxLifetimeSec` after `iat`), `tenant` (the tenant id) and
 * `scope` (space-separated; `tokens:read` for the token API).
 */
export interface ServiceTokenIssuer {
  issuer: string;
  /** HS256 shared secret, at least 32 bytes. */
  secret?: string;
  /** EdDSA (Ed25519) public key, SPKI PEM. */
  publicKey?: string;
  /** Tenants this issuer may name; omitted = any. */
  tenants?: string[];
}

export interface ServiceTokenConfig {
  audience: string;
  issuers: ServiceTokenIssuer[];
  clockToleranceSec?: number;
  maxLifetimeSec?: number;
}

export interface ServicePrincipal {
  issuer: string;
  subject: string | null;
  tenantId: string;
  scopes: string[];
}

interface PreparedIssuer {
  cfg: ServiceTokenIssuer;
  key: Promise<KeyObject | CryptoKey>;
  alg: 'HS256' | 'EdDSA';
}

const refuse = (why: string) => new HubError('unauthorized', `service token refused: ${why}`);

export class ServiceTokenVerifier {
  readonly #issuers = new Map<string, PreparedIssuer>();
  readonly #cfg: ServiceTokenConfig;

  constructor(cfg: ServiceTokenConfig) {
    this.#cfg = cfg;
    for (const i of cfg.issuers) {
      if (!!i.secret === !!i.publicKey) throw new Error(`service token issuer ${i.issuer}: give exactly one of secret or publicKey`);
      if (i.secret && Buffer.byteLength(i.secret) < 32) throw new Error(`service token issuer ${i.issuer}: the HS256 secret must be at least 32 bytes`);
      const key = i.secret ? Promise.resolve(createSecretKey(Buffer.from(i.secret))) : importSPKI(i.publicKey!, 'EdDSA');
      key.catch(() => {});
      this.#issuers.set(i.issuer, { cfg: i, key, alg: i.secret ? 'HS256' : 'EdDSA' });
    }
  }

  get enabled(): boolean {
    return this.#issuers.size > 0;
  }

  /** Verifies signature, issuer, audience, expiry, tenant and scope; any failure is a 401 (403 for a missing scope). */
  async verify(token: string, needed: Scope): Promise<ServicePrincipal> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw refuse('not a JWT');
    }
    const issuer = typeof iss === 'string' ? this.#issuers.get(iss) : undefined;
    if (!issuer) throw refuse('unknown issuer');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await issuer.key, {
        issuer: issuer.cfg.issuer, audience: this.#cfg.audience, algorithms: [issuer.alg],
        requiredClaims: ['exp', 'iat', 'tenant', 'scope'], clockTolerance: this.#cfg.clockToleranceSec ?? 30,
        maxTokenAge: `${this.#cfg.maxLifetimeSec ?? 3600}s`,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw refuse('expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw refuse(`claim ${err.claim} is not valid`);
      throw refuse('bad signature or format');
    }
    const tenantId = payload.tenant;
    if (typeof tenantId !== 'string' || tenantId === '') throw refuse('claim tenant is not valid');
    if (issuer.cfg.tenants && !issuer.cfg.tenants.includes(tenantId)) throw new HubError('forbidden', `issuer ${issuer.cfg.issuer} may not act for tenant ${tenantId}`);
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    if (!hasScope(scopes, needed)) throw new HubError('forbidden', `the service token lacks the ${needed} scope`);
    return { issuer: issuer.cfg.issuer, subject: typeof payload.sub === 'string' ? payload.sub : null, tenantId, scopes };
  }
}
