import type { FastifyInstance } from 'fastify';
import { basicOf } from '../core/oauth.ts';
import type { NotionCtx } from './knobs.ts';

/**
 * Notion's public-integration OAuth: `GET /v1/oauth/authorize` (consent is
 * immediate) and `POST /v1/oauth/token` with HTTP Basic client credentials
 * and a JSON body. Token lifetime and refresh rotation are UNCONFIRMED
 * upstream: by default tokens do not expire (OAuth knobs change that).
 */
export const SANDBOX_CLIENT_ID = 'notion-sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'secret_notion-sandbox-client-secret';

export function registerOAuthRoutes(app: FastifyInstance, ctx: NotionCtx): void {
  ctx.oauth.addClient(SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET);

  app.get('/v1/oauth/authorize', async (req, reply) => {
    const out = ctx.oauth.authorize(req.query as Record<string, string | undefined>, ctx.state.workspaceId);
    if ('redirect' in out) return reply.redirect(out.redirect, 302);
    return reply.code(out.status).send({ error: out.error, error_description: out.error_description });
  });

  app.post('/v1/oauth/token', async (req, reply) => {
    const basic = basicOf(req.headers.authorization);
    if (!basic) return reply.code(401).send({ error: 'invalid_client', error_description: 'Client authentication (HTTP Basic) is required.' });
    const out = ctx.oauth.exchange((req.body ?? {}) as Record<string, string | undefined>, basic);
    if ('status' in out) return reply.code(out.status).send({ error: out.error, error_description: out.error_description });
    const s = ctx.state;
    const person = [...s.users.values()].find((u) => u.type === 'person')!;
    return reply.send({
      access_token: out.access_token,
      token_type: 'bearer',
      refresh_token: out.refresh_token ?? null,
      ...(out.expires_in !== undefined ? { expires_in: out.expires_in } : {}),
      bot_id: s.botId,
      workspace_id: s.workspaceId,
      workspace_name: s.workspaceName,
      workspace_icon: null,
      owner: { type: 'user', user: { object: 'user', id: person.id, name: person.name, avatar_url: null, type: 'person', person: { email: person.email } } },
      duplicated_template_id: null,
      request_id: crypto.randomUUID(),
    });
  });
}
