/**
 * Slack v0 signing: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret,
 * "v0:" + X-Slack-Request-Timestamp + ":" + raw body)>`, timestamp in
 * seconds, 5-minute window. Events API bodies are JSON; slash commands and
 * interactivity are form-encoded, the latter with the JSON in `payload=`.
 * `url_verification` is answered only once the request is verified, so an
 * unauthenticated caller cannot use the endpoint as an echo.
 */
import { z } from 'zod';
import type { WebhookRequest, WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header, isFormEncoded, isRecord, jsonOf, stringField } from './request.ts';
import { missing } from './result.ts';
import { checkWindow, DEFAULT_TOLERANCE_SEC } from './window.ts';

const Options = z.object({ toleranceSec }).strict();

/** The JSON view of any Slack body: the Events API object, the interactivity payload, or the slash-command fields. */
function slackBody(req: WebhookRequest, body: unknown): unknown {
  if (!isFormEncoded(req)) return jsonOf(req, body);
  const form = new URLSearchParams(req.rawBody.toString('utf8'));
  const payload = form.get('payload');
  if (payload !== null) return safeJson(payload);
  return { ...Object.fromEntries(form), type: form.has('command') ? 'slash_command' : 'form' };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (_err) {
    return {};
  }
}

export const slack: WebhookScheme = {
  name: 'slack',
  contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
  jsonBody: false,
  toleranceSec: DEFAULT_TOLERANCE_SEC,
  parseOptions: (options) => parseWith('slack', Options, options),
  handshake(req, _ctx, verified) {
    if (!verified) return undefined;
    const body = slackBody(req, undefined);
    const challenge = stringField(body, 'challenge');
    if (stringField(body, 'type') !== 'url_verification' || challenge === undefined) return undefined;
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ challenge }) };
  },
  verify(req, ctx) {
    const options = parseWith('slack', Options, ctx.options);
    const signature = header(req, 'x-slack-signature');
    const timestamp = header(req, 'x-slack-request-timestamp');
    if (signature === undefined) return missing('X-Slack-Signature');
    if (timestamp === undefined) return missing('X-Slack-Request-Timestamp');
    const candidates = signature.startsWith('v0=') ? [signature] : [];
    const signed = verifyAgainstSecrets(ctx, candidates, (secret) => `v0=${hmac('sha256', secret, [`v0:${timestamp}:`, req.rawBody], 'hex')}`);
    if (!signed.ok) return signed;
    return checkWindow(timestamp, 's', ctx.now, options.toleranceSec) ?? signed;
  },
  describe(req, body) {
    const parsed = slackBody(req, isFormEncoded(req) ? undefined : body);
    const event = isRecord(parsed) ? parsed['event'] : undefined;
    const type = stringField(event, 'type') ?? stringField(parsed, 'type') ?? 'unknown';
    // Interactivity and slash commands carry no event_id; trigger_id is unique per action.
    const deliveryId = stringField(parsed, 'event_id') ?? stringField(parsed, 'trigger_id');
    return { type, ...(deliveryId ? { deliveryId } : {}) };
  },
};
