import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shipped catalog directory at the repo root. */
export const CATALOG_DIR = fileURLToPath(new URL('../../catalog/', import.meta.url));

/** A small valid entry; tests break one thing in it at a time. */
export const VALID_YAML = `id: acme
displayName: Acme
auth:
  - mode: oauth2
    authorizationUrl: https://\${connectionConfig.tenant}.acme.test/oauth/authorize
    tokenUrl: https://\${connectionConfig.tenant}.acme.test/oauth/token
    pkce: required
    tokenResponse:
      refreshTokenRotation: "yes"
  - mode: api_key
api:
  baseUrl: https://\${connectionConfig.tenant}.acme.test/api
rateLimits:
  limits:
    - points: 10
      durationMs: 1000
      scope: account
connectionConfig:
  tenant:
    type: string
    description: tenant subdomain
    required: true
    pattern: ^[a-z0-9-]+$
`;

/** Writes `files` (name → text) into a fresh temp dir; returns it and a cleanup. */
export async function tempCatalog(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'catalog-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
