import type { Scope } from '../domain/scopes.ts';
import type { Principal } from '../tenancy/authenticate.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Route needs no API key (health, metrics, docs, webhook receivers). */
    public?: boolean;
    /** Scope the API key must hold; omitted means any valid key. */
    scope?: Scope;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export {};
