import type { FastifyReply, FastifyRequest } from 'fastify';
import { basicOf } from '../core/oauth.ts';
import type { User, WpCtx } from './state.ts';

/**
 * Basic auth with application passwords, and WordPress's error shape
 * `{code, message, data: {status}}`. A bad password fails every request,
 * even a public GET, because WordPress checks authentication first.
 */
export interface WpError {
  code: string;
  message: string;
  data: { status: number; [k: string]: unknown };
}

export const wpError = (code: string, message: string, status: number, extra: Record<string, unknown> = {}): WpError =>
  ({ code, message, data: { status, ...extra } });

export function sendError(reply: FastifyReply, e: WpError): FastifyReply {
  return reply.code(e.data.status).send(e);
}

export type Caller = { user: User | null } | { error: WpError };

export function authenticate(ctx: WpCtx, req: FastifyRequest): Caller {
  const creds = basicOf(req.headers.authorization);
  if (!creds) return { user: null };
  // Application passwords are only offered over HTTPS unless the site says otherwise.
  if (ctx.knobs.requireHttpsForAppPasswords && req.protocol !== 'https') return { user: null };
  const login = creds.id;
  const user = [...ctx.state.users.values()].find((u) => u.username === login || u.email === login);
  if (!user) {
    return login.includes('@')
      ? { error: wpError('invalid_email', 'Unknown email address. Check again or try your username.', 401) }
      : { error: wpError('invalid_username', 'Unknown username. Check again or try your email address.', 401) };
  }
  const given = creds.secret.replace(/\s+/g, '');
  const match = user.appPasswords.find((p) => p.password === given);
  if (!match) return { error: wpError('incorrect_password', 'The provided password is an invalid application password.', 401) };
  match.lastUsed = new Date().toISOString().slice(0, 19);
  return { user };
}

type Cap = 'edit_posts' | 'publish_posts' | 'edit_others_posts' | 'edit_pages' | 'upload_files' | 'manage_categories' | 'list_users' | 'create_users' | 'delete_users';

const CAPS: Record<User['roles'][number], Cap[]> = {
  administrator: ['edit_posts', 'publish_posts', 'edit_others_posts', 'edit_pages', 'upload_files', 'manage_categories', 'list_users', 'create_users', 'delete_users'],
  editor: ['edit_posts', 'publish_posts', 'edit_others_posts', 'edit_pages', 'upload_files', 'manage_categories'],
  author: ['edit_posts', 'publish_posts', 'upload_files'],
  contributor: ['edit_posts'],
  subscriber: [],
};

export function can(user: User | null, cap: Cap): boolean {
  return user !== null && user.roles.some((r) => CAPS[r].includes(cap));
}

/** rest_authorization_required_code(): 401 when nobody is logged in, 403 otherwise. */
export const authCode = (user: User | null): number => (user ? 403 : 401);

/** Runs the auth check for a route; sends the error and returns undefined when the credentials are bad. */
export function callerOf(ctx: WpCtx, req: FastifyRequest, reply: FastifyReply): { user: User | null } | undefined {
  const c = authenticate(ctx, req);
  if ('error' in c) {
    sendError(reply, c.error);
    return undefined;
  }
  return c;
}
