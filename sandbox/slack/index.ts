import { startFake, type FakeContext, type FakeDefinition, type RunningFake, type StartOptions } from '../core/server.ts';
import type { Signer } from '../core/webhook-sender.ts';
import { eventCallback, slashCommandForm, slackId, urlVerification, type SlackIdentity } from './envelope.ts';
import { signedHeaders } from './signing.ts';

/**
 * Slack as a sender only: control calls make it POST Events API envelopes,
 * url_verification handshakes and slash commands, signed v0, to subscribed
 * URLs, retrying like Slack (3 retries, with x-slack-retry-num/-reason).
 */
export interface SlackKnobs extends SlackIdentity {
  signingSecret: string;
}

export const defaultKnobs: SlackKnobs = {
  teamId: 'T0SANDBOX1', apiAppId: 'A0SANDBOX1', botUserId: 'U0SANDBOXBOT',
  verificationToken: 'sandboxVerificationToken0', signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
};

type SlackContext = FakeContext<Record<string, never>, SlackKnobs>;

/** Why the previous attempt failed, in Slack's x-slack-retry-reason words. */
function retryReason(ctx: SlackContext, subId: string, eventType: string): string {
  const last = [...ctx.webhooks.deliveries].reverse().find((d) => d.subscriptionId === subId && d.eventType === eventType);
  if (!last) return 'unknown_error';
  if (last.status !== null) return 'http_error';
  return /timeout|aborted/i.test(last.error ?? '') ? 'http_timeout' : 'connection_failed';
}

function signer(ctx: SlackContext, contentType: string): Signer {
  return (sub, body, eventType, attempt) => ({
    url: sub.url,
    body,
    headers: {
      ...signedHeaders(sub.secret || ctx.knobs.signingSecret, body, contentType),
      ...(attempt > 0 ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': retryReason(ctx, sub.id, eventType) } : {}),
    },
  });
}

export const definition: FakeDefinition<Record<string, never>, SlackKnobs> = {
  name: 'slack',
  tokenPrefix: 'xoxb-',
  oauth: { accessTokenTtlSec: null, rotateRefreshToken: false, requirePkce: false, denyConsent: false },
  knobs: defaultKnobs,
  // Slack retries ~immediately, after 1 min and after 5 min; scaled down.
  webhookRetryDelaysMs: [50, 600, 3_000],
  createState: () => ({}),
  seed: () => undefined,
  send429: (reply) => reply.code(429).header('retry-after', '30').send({ ok: false, error: 'ratelimited' }),
  routes: (app, ctx) => {
    // Slack gives up on a request after 3 seconds, and stops retrying when the app answers `x-slack-no-retry: 1`.
    ctx.webhooks.timeoutMs = 3_000;
    ctx.webhooks.isAck = (status, headers) => (status >= 200 && status < 300) || headers['x-slack-no-retry'] === '1';

    app.post('/_sandbox/slack/events', async (req, reply) => {
      const b = (req.body ?? {}) as { event?: Record<string, unknown> };
      if (!b.event || typeof b.event.type !== 'string') return reply.code(400).send({ error: 'event.type is required' });
      const envelope = eventCallback(ctx.knobs, ctx.random, b.event);
      await ctx.webhooks.emit(b.event.type, JSON.stringify(envelope), signer(ctx, 'application/json'));
      return reply.code(202).send(envelope);
    });

    app.post('/_sandbox/slack/commands', async (req, reply) => {
      const input = Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      const form = slashCommandForm(ctx.knobs, ctx.random, input);
      await ctx.webhooks.emit('slash_command', form, signer(ctx, 'application/x-www-form-urlencoded'));
      return reply.code(202).send({ body: form });
    });

    // The handshake is sent directly (not via the retrying sender) because Slack reads the answer:
    // the URL is verified only when the challenge comes back (plain text, JSON or form).
    app.post('/_sandbox/slack/url_verification', async (req) => {
      const b = (req.body ?? {}) as { url?: string };
      const targets = b.url ? [{ url: b.url, secret: '' }] : [...ctx.webhooks.subscriptions.values()];
      const results = [];
      for (const t of targets) {
        const challenge = slackId('', ctx.random, 40);
        const body = JSON.stringify(urlVerification(ctx.knobs, challenge));
        try {
          const res = await fetch(t.url, { method: 'POST', headers: signedHeaders(t.secret || ctx.knobs.signingSecret, body, 'application/json'), body, signal: AbortSignal.timeout(3_000) });
          const text = await res.text();
          results.push({ url: t.url, status: res.status, verified: res.ok && echoes(text, challenge) });
        } catch (err) {
          results.push({ url: t.url, status: null, verified: false, error: (err as Error).message });
        }
      }
      return { results };
    });
  },
  inspect: (ctx) => ({ subscriptions: ctx.webhooks.subscriptions.size, deliveries: ctx.webhooks.deliveries.length }),
  credentials: (ctx) => ({
    signingSecret: ctx.knobs.signingSecret, verificationToken: ctx.knobs.verificationToken, teamId: ctx.knobs.teamId, appId: ctx.knobs.apiAppId,
  }),
};

function echoes(text: string, challenge: string): boolean {
  if (text.trim() === challenge) return true;
  try {
    return (JSON.parse(text) as { challenge?: string }).challenge === challenge;
  } catch {
    return new URLSearchParams(text).get('challenge') === challenge;
  }
}

export function startSlack(opts?: StartOptions<SlackKnobs>): Promise<RunningFake<Record<string, never>, SlackKnobs>> {
  return startFake(definition, opts);
}
