import { createHmac } from 'node:crypto';

/**
 * Slack's v0 request signature: hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`
 * keyed by the app's signing secret (plain UTF-8), sent as
 * `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp: <unix s>`.
 */
export function slackSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export function signedHeaders(signingSecret: string, body: string, contentType: string, nowMs = Date.now()): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': slackSignature(signingSecret, ts, body),
  };
}
