import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf, type Grant } from '../core/oauth.ts';
import { sendError } from './errors.ts';
import type { HubSpotContext } from './knobs.ts';

/** Grants minted for private-app tokens carry this client id; they have a daily limit, OAuth grants do not. */
export const PRIVATE_APP_CLIENT = 'private-app';

const NOT_FOUND_MESSAGE = 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

export interface Caller {
  token: string;
  grant: Grant;
  privateApp: boolean;
}

const callers = new WeakMap<FastifyRequest, Caller>();

export const callerOf = (req: FastifyRequest): Caller | undefined => callers.get(req);

/**
 * Checks the bearer token the way HubSpot answers: an unknown or missing
 * token is INVALID_AUTHENTICATION, an expired one EXPIRED_AUTHENTICATION with
 * how long ago it expired. Returns false when the reply was sent.
 */
export function authenticate(ctx: HubSpotContext, req: FastifyRequest, reply: FastifyReply): boolean {
  const token = bearerOf(req.headers.authorization);
  const check = ctx.oauth.check(token);
  if (check.state === 'ok' && token) {
    callers.set(req, { token, grant: check.grant, privateApp: check.grant.clientId === PRIVATE_APP_CLIENT });
    return true;
  }
  if (check.state === 'expired' && token) {
    const expiredAt = ctx.oauth.access.get(token)?.expiresAt ?? Date.now();
    sendError(reply, 401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${ago(Date.now() - expiredAt)} ago.`, {
      context: { 'expire time': [new Date(expiredAt).toUTCString()] },
    });
    return false;
  }
  sendError(reply, 401, 'INVALID_AUTHENTICATION', NOT_FOUND_MESSAGE);
  return false;
}

function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} minute(s)`;
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? `${hours} hour(s)` : `${Math.floor(hours / 24)} day(s)`;
}
