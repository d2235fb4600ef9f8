import type { Random } from '../core/faults.ts';

/** Events API bodies: the `event_callback` envelope around one event, and the `url_verification` handshake. */
export interface SlackIdentity {
  teamId: string;
  apiAppId: string;
  botUserId: string;
  verificationToken: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function slackId(prefix: string, random: Random, length = 10): string {
  let out = prefix;
  for (let i = 0; i < length; i++) out += ALNUM[Math.floor(random() * ALNUM.length)];
  return out;
}

export function eventCallback(id: SlackIdentity, random: Random, event: Record<string, unknown>, nowMs = Date.now()): Record<string, unknown> {
  const eventTime = Math.floor(nowMs / 1000);
  const eventTs = `${(nowMs / 1000).toFixed(6)}`;
  return {
    token: id.verificationToken,
    team_id: id.teamId,
    context_team_id: id.teamId,
    context_enterprise_id: null,
    api_app_id: id.apiAppId,
    event: { event_ts: eventTs, ...event },
    type: 'event_callback',
    event_id: slackId('Ev', random),
    event_time: eventTime,
    authorizations: [{ enterprise_id: null, team_id: id.teamId, user_id: id.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ tid: id.teamId, aid: id.apiAppId })).toString('base64url')}`,
  };
}

export function urlVerification(id: SlackIdentity, challenge: string): Record<string, unknown> {
  return { token: id.verificationToken, challenge, type: 'url_verification' };
}

/** Slash commands arrive form-encoded, like the body in Slack's published signing example. */
export function slashCommandForm(id: SlackIdentity, random: Random, input: Record<string, string>): string {
  return new URLSearchParams({
    token: id.verificationToken, team_id: id.teamId, team_domain: 'sandbox', channel_id: 'C0SANDBOX', channel_name: 'general',
    user_id: 'U0SANDBOX', user_name: 'sandbox-user', command: '/sandbox', text: '', api_app_id: id.apiAppId,
    is_enterprise_install: 'false', response_url: 'https://hooks.slack.com/commands/T0SANDBOX/0/sandbox',
    trigger_id: `${Math.floor(random() * 1e12)}.${Math.floor(random() * 1e11)}.${slackId('', random, 32).toLowerCase()}`,
    ...input,
  }).toString();
}
