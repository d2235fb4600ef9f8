import { startFake, type FakeDefinition, type StartOptions } from '../core/server.ts';
import { registerControlRoutes } from './control-routes.ts';
import { registerIndexRoutes } from './index-routes.ts';
import { defaultKnobs, type WordPressKnobs } from './knobs.ts';
import { registerMediaRoutes } from './media-routes.ts';
import { registerPostRoutes } from './post-routes.ts';
import { seed } from './seed.ts';
import { ADMIN_APP_PASSWORD, createState, type WordPressState } from './state.ts';
import { registerUserTermRoutes } from './user-term-routes.ts';

/**
 * The WordPress fake: a self-hosted site's REST API (`/wp-json/wp/v2/...`)
 * with Basic auth by application password. WordPress has no OAuth of its
 * own (WordPress.com does); the core token issuer is unused.
 */
export const definition: FakeDefinition<WordPressState, WordPressKnobs> = {
  name: 'wordpress',
  tokenPrefix: 'wp-',
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // WP Webhooks retries only if configured to; scaled-down attempts keep tests quick.
  webhookRetryDelaysMs: [100, 300],
  createState,
  seed,
  // Core WordPress has no rate limit; this is the shape hosts and security plugins commonly send.
  send429: (reply, ctx) => {
    reply.code(429).header('Retry-After', String(ctx.knobs.retryAfterSec)).send({ code: 'rest_too_many_requests', message: 'Too many requests.', data: { status: 429 } });
  },
  // What a PHP fatal error looks like through the REST API (WP_Fatal_Error_Handler).
  sendError: (reply, status) => {
    reply.code(status).send({ code: 'internal_server_error', message: '<p>There has been a critical error on this website.</p>', data: { status }, additional_errors: [] });
  },
  routes: (app, ctx) => {
    registerIndexRoutes(app, ctx);
    registerPostRoutes(app, ctx);
    registerMediaRoutes(app, ctx);
    registerUserTermRoutes(app, ctx);
    registerControlRoutes(app, ctx);
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/wp-json')) return reply.code(404).send({ code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
      return reply.code(404).type('text/html').send('<h1>Not Found</h1>');
    });
  },
  inspect: (ctx) => {
    const counts: Record<string, number> = {};
    for (const p of ctx.state.posts.values()) counts[p.type] = (counts[p.type] ?? 0) + 1;
    return { posts: counts, users: ctx.state.users.size, terms: ctx.state.terms.size };
  },
  credentials: (ctx) => ({
    baseUrl: `${ctx.baseUrl()}/wp-json`,
    username: 'admin',
    // Displayed the way wp-admin shows it: four-character groups; WordPress strips the spaces.
    applicationPassword: ADMIN_APP_PASSWORD.match(/.{4}/g)!.join(' '),
  }),
};

export function startWordPress(opts?: StartOptions<WordPressKnobs>) {
  return startFake(definition, opts);
}
