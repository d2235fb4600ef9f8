/**
 * monday.com: a new webhook URL first receives `{"challenge":"…"}` with no
 * signature and must echo it. Deliveries then carry a JWT in `Authorization`
 * signed with the app's signing secret (the source secret). HS256 is the
 * presumed algorithm (UNCONFIRMED), so `algorithm` is an option. The JWT
 * must not be expired, its `iat` (when present) must be inside the window,
 * and its `aud` must be this endpoint's URL unless `checkAudience` is off.
 *
 * The JWT does not cover the body: a captured token can be replayed with a
 * different body until it expires. That is monday's design; the short token
 * life and dedup on triggerUuid are the mitigation.
 */
import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { VerifyResult, WebhookScheme } from './types.ts';
import { digest } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header, isRecord, jsonOf, stringField } from './request.ts';
import { invalid, missing, stale } from './result.ts';
import { DEFAULT_TOLERANCE_SEC } from './window.ts';

const Options = z
  .object({
    algorithm: z.enum(['HS256', 'HS384', 'HS512']).default('HS256'),
    checkAudience: z.boolean().default(true),
    /** Overrides the expected `aud` when the public URL differs from what monday was given. */
    audience: z.string().min(1).optional(),
    toleranceSec,
  })
  .strict();

// base64url decoders ignore the spare low bits of the last character, so two
// spellings of one signature exist; only the canonical one is accepted, which
// keeps every change to the token a rejection.
function signatureIsCanonical(token: string): boolean {
  const signature = token.split('.')[2] ?? '';
  return Buffer.from(Buffer.from(signature, 'base64url').toString('base64url')).equals(Buffer.from(signature));
}

function failureOf(err: unknown): VerifyResult {
  if (err instanceof errors.JWTExpired) return stale('JWT is expired');
  if (err instanceof errors.JOSEError) return invalid(`JWT rejected (${err.code})`);
  return invalid('JWT rejected');
}

export const monday: WebhookScheme = {
  name: 'monday',
  contentTypes: ['application/json'],
  jsonBody: true,
  toleranceSec: DEFAULT_TOLERANCE_SEC,
  parseOptions: (options) => parseWith('monday', Options, options),
  handshake(req, _ctx, verified) {
    if (verified) return undefined;
    const body = jsonOf(req, undefined);
    const challenge = stringField(body, 'challenge');
    if (challenge === undefined || (isRecord(body) && 'event' in body)) return undefined;
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ challenge }) };
  },
  async verify(req, ctx) {
    const options = parseWith('monday', Options, ctx.options);
    const authorization = header(req, 'authorization');
    if (authorization === undefined) return missing('Authorization');
    // Whether monday ever sends a `Bearer ` prefix is UNCONFIRMED; accept both.
    const token = authorization.replace(/^Bearer\s+/i, '');
    if (!signatureIsCanonical(token)) return invalid('JWT signature is not canonical base64url');
    if (ctx.secrets.length === 0) return invalid('the source has no secret configured');
    let failure: VerifyResult = invalid('no configured secret verifies the JWT');
    for (const secret of ctx.secrets) {
      try {
        const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
          algorithms: [options.algorithm],
          currentDate: new Date(ctx.now),
          requiredClaims: ['exp'],
          ...(options.checkAudience ? { audience: options.audience ?? req.url } : {}),
        });
        if (payload.iat !== undefined && ctx.now / 1000 - payload.iat > options.toleranceSec) {
          return stale(`JWT issued more than ${options.toleranceSec} s ago`);
        }
        return { ok: true };
      } catch (err) {
        // jose checks claims only after the signature, so any other error
        // came from the right secret (or a malformed token) and is the answer.
        if (!(err instanceof errors.JWSSignatureVerificationFailed)) failure = failureOf(err);
      }
    }
    return failure;
  },
  describe(req, body) {
    const parsed = jsonOf(req, body);
    const event = isRecord(parsed) ? parsed['event'] : undefined;
    const deliveryId = stringField(event, 'triggerUuid') ?? `monday:${digest('sha256', [req.rawBody], 'hex')}`;
    return { type: stringField(event, 'type') ?? 'unknown', deliveryId };
  },
};
