import { decodeJwt, importSPKI, jwtVerify, errors as joseErrors } from 'jose';
import type { FakeContext } from '../core/server.ts';
import type { GithubKnobs } from './knobs.ts';
import { userByLogin, type App, type GithubState } from './store.ts';

/**
 * Who is calling. GitHub accepts `Authorization: token X` and `Bearer X` for
 * every token kind; a three-part JWT is an app authenticating as itself.
 */
export type Caller =
  | { kind: 'anonymous'; ip: string }
  | { kind: 'user'; userId: number }
  | { kind: 'installation'; installationId: number; repoIds?: number[] }
  | { kind: 'app'; appId: number };

export type AuthOutcome = { ok: true; caller: Caller } | { ok: false; message: string };

type Ctx = FakeContext<GithubState, GithubKnobs>;

export function credentialOf(header: string | undefined): string | undefined {
  const m = header ? /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header.trim()) : null;
  return m?.[1];
}

const isJwt = (s: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(s);

export async function authenticate(ctx: Ctx, header: string | undefined, ip: string): Promise<AuthOutcome> {
  if (header === undefined) return { ok: true, caller: { kind: 'anonymous', ip } };
  const cred = credentialOf(header);
  if (!cred) return { ok: false, message: 'Bad credentials' };
  if (isJwt(cred)) return verifyAppJwt(ctx, cred);
  const stored = ctx.state.tokens.get(cred);
  if (stored) {
    if (stored.expiresAt !== null && stored.expiresAt <= Date.now()) return { ok: false, message: 'Bad credentials' };
    if (stored.principal.kind === 'user') return { ok: true, caller: { kind: 'user', userId: stored.principal.userId } };
    return { ok: true, caller: { kind: 'installation', installationId: stored.principal.installationId, ...(stored.repoIds ? { repoIds: stored.repoIds } : {}) } };
  }
  const checked = ctx.oauth.check(cred);
  if (checked.state !== 'ok') return { ok: false, message: 'Bad credentials' };
  const user = userByLogin(ctx.state, checked.grant.account);
  if (!user) return { ok: false, message: 'Bad credentials' };
  return { ok: true, caller: { kind: 'user', userId: user.id } };
}

const keyCache = new WeakMap<App, ReturnType<typeof importSPKI>>();

function appFor(state: GithubState, iss: unknown): App | undefined {
  for (const app of state.apps.values()) if (String(app.id) === String(iss) || app.clientId === iss) return app;
  return undefined;
}

/** GitHub's checks: RS256 signed by the app's key, `iss` = app id (or client id), `exp` at most 10 minutes ahead. */
async function verifyAppJwt(ctx: Ctx, jwt: string): Promise<AuthOutcome> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    return { ok: false, message: 'A JSON web token could not be decoded' };
  }
  const nowSec = Math.floor(Date.now() / 1000);
  if (typeof claims.iat !== 'number') return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." };
  if (typeof claims.exp !== 'number') return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." };
  if (claims.exp - nowSec > ctx.knobs.maxJwtLifetimeSec + ctx.knobs.jwtClockSkewSec) return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  if (claims.iat > nowSec + ctx.knobs.jwtClockSkewSec) return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." };
  const app = appFor(ctx.state, claims.iss);
  if (!app) return { ok: false, message: `Integration not found` };
  let key = keyCache.get(app);
  if (!key) {
    key = importSPKI(app.publicKeyPem, 'RS256');
    keyCache.set(app, key);
  }
  try {
    await jwtVerify(jwt, await key, { algorithms: ['RS256'], clockTolerance: ctx.knobs.jwtClockSkewSec });
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires." };
    return { ok: false, message: 'A JSON web token could not be decoded' };
  }
  return { ok: true, caller: { kind: 'app', appId: app.id } };
}

/** What repos a caller may see: owners and installations see private ones, everyone sees public ones. */
export function canSeeRepo(state: GithubState, caller: Caller, repoId: number): boolean {
  const repo = state.repos.get(repoId);
  if (!repo) return false;
  if (caller.kind === 'installation') {
    const inst = state.installations.get(caller.installationId);
    if (!inst) return false;
    if (caller.repoIds && !caller.repoIds.includes(repoId)) return false;
    return inst.repositorySelection === 'all' ? repo.ownerId === inst.accountId : inst.repoIds.includes(repoId);
  }
  if (!repo.private) return true;
  return caller.kind === 'user' && caller.userId === repo.ownerId;
}
