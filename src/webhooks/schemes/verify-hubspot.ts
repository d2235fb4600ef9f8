/**
 * HubSpot signs with the app's client secret in three versions:
 *   v1  `X-HubSpot-Signature` = hex SHA-256(secret + body)
 *   v2  `X-HubSpot-Signature` = hex SHA-256(secret + METHOD + URI + body)
 *   v3  `X-HubSpot-Signature-v3` = base64 HMAC-SHA256(secret, METHOD + URI + body + timestamp),
 *       with `X-HubSpot-Request-Timestamp` in epoch milliseconds.
 *
 * Decision: one verifier, registered four times. `hubspot` accepts the
 * versions listed in its `versions` option (default all three): v3 when its
 * header is present, otherwise what `X-HubSpot-Signature-Version` names.
 * `hubspot-v1`, `hubspot-v2` and `hubspot-v3` pin one version, for sources
 * that must refuse the replayable, timestamp-free v1/v2 (pin `hubspot-v3`).
 *
 * v3's URI decoding rule is UNCONFIRMED (the docs ask to URL-decode some
 * characters first; the official SDK does not). `v3Uri` picks `raw`,
 * `decoded` or `both` (default): both forms are signed by the secret, so
 * trying both widens nothing an attacker can forge.
 */
import { z } from 'zod';
import type { VerifyResult, WebhookScheme } from './types.ts';
import { digest, hmac, verifyAgainstSecrets } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header, isRecord, jsonOf, stringField } from './request.ts';
import { invalid, missing } from './result.ts';
import { checkWindow, DEFAULT_TOLERANCE_SEC } from './window.ts';

const VERSIONS = ['v1', 'v2', 'v3'] as const;
type Version = (typeof VERSIONS)[number];

const Options = z
  .object({
    versions: z.array(z.enum(VERSIONS)).min(1).default([...VERSIONS]),
    v3Uri: z.enum(['raw', 'decoded', 'both']).default('both'),
    toleranceSec,
  })
  .strict();
type HubSpotOptions = z.output<typeof Options>;
const PinnedOptions = Options.omit({ versions: true });

// The characters HubSpot's v3 docs list for decoding before signing.
const V3_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$',
  '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};

function decodeV3Uri(uri: string): string {
  return uri.replace(/%[0-9A-Fa-f]{2}/g, (code) => V3_DECODED[code.toUpperCase()] ?? code);
}

function chooseVersion(req: Parameters<WebhookScheme['verify']>[0], accepted: readonly Version[]): Version | undefined {
  if (header(req, 'x-hubspot-signature-v3') !== undefined && accepted.includes('v3')) return 'v3';
  const named = header(req, 'x-hubspot-signature-version');
  if (named !== undefined) return accepted.find((v) => v === named);
  // Without a version header HubSpot's own default is v1.
  if (header(req, 'x-hubspot-signature') !== undefined) return accepted.find((v) => v === 'v1');
  return undefined;
}

function makeScheme(name: string, pinned?: Version): WebhookScheme {
  const parse = (options: unknown): HubSpotOptions => {
    if (pinned) return { ...parseWith(name, PinnedOptions, options), versions: [pinned] };
    return parseWith(name, Options, options);
  };
  return {
    name,
    contentTypes: ['application/json'],
    jsonBody: true,
    toleranceSec: DEFAULT_TOLERANCE_SEC,
    parseOptions: parse,
    verify(req, ctx) {
      const options = parse(ctx.options);
      const version = chooseVersion(req, options.versions);
      if (version === undefined) {
        const present = header(req, 'x-hubspot-signature-v3', 'x-hubspot-signature') !== undefined;
        return present ? invalid(`signature version not accepted (accepted: ${options.versions.join(', ')})`) : missing('X-HubSpot-Signature-v3 / X-HubSpot-Signature');
      }
      if (version !== 'v3') {
        const signature = header(req, 'x-hubspot-signature');
        if (signature === undefined) return missing('X-HubSpot-Signature');
        const prefix = (secret: string) => (version === 'v1' ? [secret] : [secret, req.method.toUpperCase(), req.url]);
        return verifyAgainstSecrets(ctx, [signature], (secret) => digest('sha256', [...prefix(secret), req.rawBody], 'hex'));
      }
      const signature = header(req, 'x-hubspot-signature-v3');
      const timestamp = header(req, 'x-hubspot-request-timestamp');
      if (signature === undefined) return missing('X-HubSpot-Signature-v3');
      if (timestamp === undefined) return missing('X-HubSpot-Request-Timestamp');
      const uris = options.v3Uri === 'raw' ? [req.url] : options.v3Uri === 'decoded' ? [decodeV3Uri(req.url)] : [...new Set([req.url, decodeV3Uri(req.url)])];
      let signed: VerifyResult = invalid('no URI form checked');
      for (const uri of uris) {
        signed = verifyAgainstSecrets(ctx, [signature], (secret) => hmac('sha256', secret, [req.method.toUpperCase(), uri, req.rawBody, timestamp], 'base64'));
        if (signed.ok) break;
      }
      if (!signed.ok) return signed;
      return checkWindow(timestamp, 'ms', ctx.now, options.toleranceSec) ?? signed;
    },
    describe(req, body) {
      const events = jsonOf(req, body);
      const list = Array.isArray(events) ? events.filter(isRecord) : [];
      const type = stringField(list[0], 'subscriptionType') ?? 'unknown';
      // A batch is identified by the set of (portal, event) pairs it carries,
      // so a retried batch dedups while a differently composed one does not.
      const keys = list.map((e) => `${stringField(e, 'portalId') ?? ''}:${stringField(e, 'eventId') ?? ''}`).sort();
      if (keys.length === 0 || keys.every((k) => k === ':')) return { type };
      return { type, deliveryId: `hubspot:${digest('sha256', [keys.join(',')], 'hex')}` };
    },
  };
}

export const hubspot = makeScheme('hubspot');
export const hubspotV1 = makeScheme('hubspot-v1', 'v1');
export const hubspotV2 = makeScheme('hubspot-v2', 'v2');
export const hubspotV3 = makeScheme('hubspot-v3', 'v3');
