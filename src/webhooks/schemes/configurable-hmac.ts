/**
 * The engine behind schemes whose HMAC layout is configuration rather than a
 * vendor's fixed rule (`generic-hmac`, `wordpress`): which header, which
 * digest, prefix and encoding, an optional timestamp header and a template
 * for the signed payload such as `{timestamp}.{body}`. Each such scheme is
 * this engine with its own name and defaults.
 */
import { z } from 'zod';
import type { WebhookRequest, WebhookScheme } from './types.ts';
import { hmac, verifyAgainstSecrets } from './crypto.ts';
import type { Bytes } from './crypto.ts';
import { parseWith, toleranceSec } from './options.ts';
import { header, jsonOf, valueAt } from './request.ts';
import { missing } from './result.ts';
import { checkWindow, DEFAULT_TOLERANCE_SEC } from './window.ts';

const PLACEHOLDER = /(\{body\}|\{timestamp\}|\{id\}|\{method\}|\{url\})/;
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid header name').transform((s) => s.toLowerCase());

export interface HmacDefaults {
  header?: string;
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  encoding?: 'hex' | 'base64';
  prefix?: string;
  defaultType: string;
}

function optionsSchema(defaults: HmacDefaults) {
  return z
    .object({
      header: defaults.header ? headerName.default(defaults.header) : headerName,
      algorithm: z.enum(['sha1', 'sha256', 'sha512']).default(defaults.algorithm ?? 'sha256'),
      encoding: z.enum(['hex', 'base64']).default(defaults.encoding ?? 'hex'),
      prefix: z.string().default(defaults.prefix ?? ''),
      timestampHeader: headerName.optional(),
      timestampUnit: z.enum(['s', 'ms']).default('s'),
      payloadTemplate: z.string().includes('{body}', { message: 'must contain {body}' }).default('{body}'),
      idHeader: headerName.optional(),
      typeHeader: headerName.optional(),
      typePath: z.string().min(1).optional(),
      toleranceSec,
    })
    .strict()
    .superRefine((o, check) => {
      if (o.payloadTemplate.includes('{timestamp}') && !o.timestampHeader) {
        check.addIssue({ code: 'custom', path: ['timestampHeader'], message: 'required when payloadTemplate uses {timestamp}' });
      }
      if (o.payloadTemplate.includes('{id}') && !o.idHeader) {
        check.addIssue({ code: 'custom', path: ['idHeader'], message: 'required when payloadTemplate uses {id}' });
      }
    });
}

type HmacOptions = z.output<ReturnType<typeof optionsSchema>>;

/** The signed bytes: the template with the raw body (never re-encoded) and header values spliced in. */
function signedParts(req: WebhookRequest, options: HmacOptions, timestamp: string, id: string): Bytes[] {
  const values: Record<string, Bytes> = { '{body}': req.rawBody, '{timestamp}': timestamp, '{id}': id, '{method}': req.method.toUpperCase(), '{url}': req.url };
  return options.payloadTemplate.split(PLACEHOLDER).filter((p) => p !== '').map((p) => values[p] ?? p);
}

export function configurableHmacScheme(name: string, defaults: HmacDefaults): WebhookScheme {
  const schema = optionsSchema(defaults);
  const parse = (options: unknown): HmacOptions => parseWith(name, schema, options);
  return {
    name,
    contentTypes: ['application/json', 'application/x-www-form-urlencoded', 'text/plain'],
    jsonBody: false,
    toleranceSec: DEFAULT_TOLERANCE_SEC,
    parseOptions: parse,
    verify(req, ctx) {
      const options = parse(ctx.options);
      const signature = header(req, options.header);
      if (signature === undefined) return missing(options.header);
      const timestamp = options.timestampHeader ? header(req, options.timestampHeader) : '';
      if (timestamp === undefined) return missing(options.timestampHeader ?? 'timestamp header');
      const id = options.idHeader ? header(req, options.idHeader) : '';
      if (id === undefined && options.payloadTemplate.includes('{id}')) return missing(options.idHeader ?? 'id header');
      const parts = signedParts(req, options, timestamp, id ?? '');
      const candidates = signature.startsWith(options.prefix) ? [signature] : [];
      const signed = verifyAgainstSecrets(ctx, candidates, (secret) => options.prefix + hmac(options.algorithm, secret, parts, options.encoding));
      if (!signed.ok || !options.timestampHeader) return signed;
      return checkWindow(timestamp, options.timestampUnit, ctx.now, options.toleranceSec) ?? signed;
    },
    describe(req, body, stored) {
      // describe never fails an accepted event: without readable options the type falls back to the default.
      const parsed = schema.safeParse(stored ?? {});
      const options: Partial<HmacOptions> = parsed.success ? parsed.data : {};
      const fromHeader = options.typeHeader ? header(req, options.typeHeader) : undefined;
      const fromBody = options.typePath ? valueAt(jsonOf(req, body), options.typePath) : undefined;
      const type = fromHeader ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? defaults.defaultType;
      const deliveryId = options.idHeader ? header(req, options.idHeader) : undefined;
      return { type, ...(deliveryId ? { deliveryId } : {}) };
    },
  };
}
