import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { applyFaults, noFaults, seededRandom, type Faults, type Random } from './faults.ts';
import { RequestLog } from './request-log.ts';
import { WebhookSender } from './webhook-sender.ts';
import { TokenIssuer, type OAuthKnobs } from './oauth.ts';

/**
 * Everything a provider fake shares: a Fastify server, the request log, fault
 * knobs, an OAuth token issuer, a webhook sender and the `/_sandbox/` control
 * API. A provider adds its own routes, state and 429 shape.
 */
export interface FakeContext<S, K> {
  name: string;
  state: S;
  knobs: K;
  faults: Faults;
  random: Random;
  log: RequestLog;
  webhooks: WebhookSender;
  oauth: TokenIssuer;
  /** The fake's own base URL once listening (for Link headers, nextRecordsUrl ...). */
  baseUrl: () => string;
  /** True when a malformed-page fault is armed; consumes one. */
  takeMalformed: () => boolean;
}

export interface FakeDefinition<S, K extends object> {
  name: string;
  /** Token prefix for access tokens this fake issues. */
  tokenPrefix: string;
  oauth: OAuthKnobs;
  knobs: K;
  /** Default webhook retry delays (already scaled down for tests). */
  webhookRetryDelaysMs: number[];
  createState: () => S;
  /** Fills the store from a fixture object or a generator spec such as `{ generate: { items: 10000 } }`. */
  seed: (ctx: FakeContext<S, K>, spec: unknown) => void;
  /** The provider's own rate-limit answer, used by the 429-burst fault. */
  send429: (reply: FastifyReply, ctx: FakeContext<S, K>) => void;
  /** The provider's own 5xx body for the errorRate fault; without it the fault sends a generic JSON body. */
  sendError?: (reply: FastifyReply, status: number, ctx: FakeContext<S, K>) => void;
  /**
   * Called by POST /_sandbox/reset after state, knobs and faults are back to
   * their defaults: clears what lives outside `state` (rate windows, quotas)
   * and may carry over from `previous` what `credentials` handed out.
   */
  onReset?: (ctx: FakeContext<S, K>, previous: S) => void;
  /** Provider routes, plus any `/_sandbox/...` mutations "as a user in the UI". */
  routes: (app: FastifyInstance, ctx: FakeContext<S, K>) => void;
  /** What GET /_sandbox/state shows. */
  inspect: (ctx: FakeContext<S, K>) => unknown;
  /** Credentials printed by `switchyard sandbox` and used by tests. */
  credentials: (ctx: FakeContext<S, K>) => Record<string, string>;
}

export interface RunningFake<S = unknown, K = unknown> {
  name: string;
  url: string;
  app: FastifyInstance;
  ctx: FakeContext<S, K>;
  credentials: Record<string, string>;
  close: () => Promise<void>;
}

export interface StartOptions<K> {
  port?: number;
  host?: string;
  seed?: unknown;
  randomSeed?: number;
  knobs?: Partial<K>;
  oauth?: Partial<OAuthKnobs>;
}

export async function startFake<S, K extends object>(def: FakeDefinition<S, K>, opts: StartOptions<K> = {}): Promise<RunningFake<S, K>> {
  const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  let url = '';
  const ctx: FakeContext<S, K> = {
    name: def.name,
    state: def.createState(),
    knobs: { ...def.knobs, ...opts.knobs } as K,
    faults: noFaults(),
    random: seededRandom(opts.randomSeed ?? 42),
    log: new RequestLog(),
    webhooks: new WebhookSender({ retryDelaysMs: def.webhookRetryDelaysMs }),
    oauth: new TokenIssuer(def.tokenPrefix, { ...def.oauth, ...opts.oauth }),
    baseUrl: () => url,
    takeMalformed: () => {
      if (ctx.faults.malformedPages <= 0) return false;
      ctx.faults.malformedPages -= 1;
      return true;
    },
  };

  // Form bodies for OAuth token endpoints; CSV and other text for bulk uploads.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const isControl = (req: FastifyRequest) => req.url.startsWith('/_sandbox');
  const providerError = def.sendError;
  const sendError = providerError ? (r: FastifyReply, status: number) => providerError(r, status, ctx) : undefined;
  app.addHook('preHandler', async (req, reply) => {
    if (isControl(req)) return;
    const handled = await applyFaults(ctx.faults, ctx.random, req, reply, (r) => def.send429(r, ctx), sendError);
    if (handled) return reply;
  });
  app.addHook('onResponse', async (req, reply) => {
    if (isControl(req)) return;
    const path = req.url.split('?')[0] ?? req.url;
    ctx.log.add({ method: req.method, path, query: req.query as Record<string, unknown>, status: reply.statusCode, body: req.body });
  });

  registerControl(app, def, ctx, opts);
  def.routes(app, ctx);
  if (opts.seed !== undefined) def.seed(ctx, opts.seed);

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const addr = app.server.address();
  url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : String(addr);
  return {
    name: def.name,
    url,
    app,
    ctx,
    credentials: def.credentials(ctx),
    close: async () => {
      ctx.webhooks.close();
      await app.close();
    },
  };
}

function registerControl<S, K extends object>(app: FastifyInstance, def: FakeDefinition<S, K>, ctx: FakeContext<S, K>, opts: StartOptions<K>): void {
  app.post('/_sandbox/reset', async () => {
    const previous = ctx.state;
    ctx.state = def.createState();
    ctx.faults = noFaults();
    ctx.knobs = { ...def.knobs, ...opts.knobs } as K;
    ctx.log.clear();
    ctx.webhooks.reset();
    def.onReset?.(ctx, previous);
    return { ok: true };
  });
  app.post('/_sandbox/seed', async (req) => {
    def.seed(ctx, req.body);
    return { ok: true };
  });
  app.get('/_sandbox/state', async () => def.inspect(ctx));
  app.get('/_sandbox/requests', async (req) => {
    const q = req.query as { method?: string; pathPrefix?: string };
    const entries = ctx.log.entries.filter((e) =>
      (!q.method || e.method === q.method.toUpperCase()) && (!q.pathPrefix || e.path.startsWith(q.pathPrefix)));
    return { count: entries.length, requests: entries };
  });
  app.delete('/_sandbox/requests', async () => {
    ctx.log.clear();
    return { ok: true };
  });
  app.get('/_sandbox/faults', async () => ctx.faults);
  app.put('/_sandbox/faults', async (req) => {
    ctx.faults = { ...noFaults(), ...(req.body as Partial<Faults>) };
    return ctx.faults;
  });
  app.get('/_sandbox/knobs', async () => ({ ...ctx.knobs, oauth: ctx.oauth.knobs }));
  app.patch('/_sandbox/knobs', async (req) => {
    const { oauth, ...rest } = (req.body ?? {}) as Partial<K> & { oauth?: Partial<OAuthKnobs> };
    ctx.knobs = { ...ctx.knobs, ...rest };
    if (oauth) ctx.oauth.knobs = { ...ctx.oauth.knobs, ...oauth };
    return { ...ctx.knobs, oauth: ctx.oauth.knobs };
  });
  app.post('/_sandbox/oauth/expire', async () => {
    ctx.oauth.expireAll();
    return { ok: true };
  });
  app.get('/_sandbox/oauth/calls', async () => ctx.oauth.calls);
  app.post('/_sandbox/webhooks/subscriptions', async (req, reply) => {
    const b = req.body as { url?: string; events?: string[]; secret?: string; id?: string };
    if (!b?.url) return reply.code(400).send({ error: 'url is required' });
    const sub = ctx.webhooks.subscribe({ url: b.url, events: b.events ?? [], secret: b.secret ?? '', ...(b.id ? { id: b.id } : {}) });
    return reply.code(201).send(sub);
  });
  app.get('/_sandbox/webhooks/deliveries', async () => ({ deliveries: ctx.webhooks.deliveries }));
  // Waits until every scheduled retry has run (tests, demo shutdown).
  app.post('/_sandbox/webhooks/drain', async () => {
    await ctx.webhooks.drain();
    return { ok: true, deliveries: ctx.webhooks.deliveries.length };
  });
}

/** A form body as a map; a repeated key (`a[]=1&a[]=2`, `scope=a&scope=b`) keeps every value, in order. */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (key === '__proto__') continue;
    const seen = Object.hasOwn(out, key) ? out[key] : undefined;
    if (seen === undefined) out[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[key] = [seen, value];
  }
  return out;
}
