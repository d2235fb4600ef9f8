/**
 * Salesforce outbound messages: a SOAP `notifications` envelope (up to 100
 * `Notification` elements) POSTed as `text/xml`. There is no HMAC. The
 * checks are the ones Salesforce makes possible: the body's OrganizationId
 * must be the configured org, and, when `secretHeader` or `secretQueryParam`
 * is set, a shared secret placed in the endpoint URL or a header must equal
 * one of the source secrets. TLS client certificates, the other option
 * Salesforce offers, belong to the reverse proxy. No timestamp is sent, so
 * dedup on the notification ids is the replay defence.
 *
 * Salesforce keeps retrying until it receives a SOAP `<Ack>true</Ack>`;
 * `successReply` is that answer, which ingest sends after committing.
 */
import { z } from 'zod';
import type { WebhookRequest, WebhookScheme } from './types.ts';
import { digest, safeEqual, verifyAgainstSecrets } from './crypto.ts';
import { parseWith } from './options.ts';
import { header } from './request.ts';
import { invalid, missing } from './result.ts';

const Options = z
  .object({
    organizationId: z.string().regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'a 15- or 18-character org id starting 00D'),
    secretHeader: z.string().min(1).transform((s) => s.toLowerCase()).optional(),
    secretQueryParam: z.string().min(1).optional(),
  })
  .strict();

const ACK = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">',
  '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">',
  '<Ack>true</Ack>',
  '</notificationsResponse></soapenv:Body></soapenv:Envelope>',
].join('');

/** Text of every `<[ns:]tag>…</[ns:]tag>` element; outbound messages are flat enough that no XML parser is needed. */
function elements(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<(?:[\\w-]+:)?${tag}(?:\\s[^>]*)?>([^<]*)</(?:[\\w-]+:)?${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((m) => (m[1] ?? '').trim());
}

/** Salesforce ids exist in a 15-character case-sensitive form and an 18-character form that appends a checksum. */
function sameOrg(received: string, configured: string): boolean {
  if (received.length !== 15 && received.length !== 18) return false;
  if (received.length === configured.length) return safeEqual(received, configured);
  return safeEqual(received.slice(0, 15), configured.slice(0, 15));
}

function sharedSecret(req: WebhookRequest, options: z.output<typeof Options>): string | undefined {
  if (options.secretHeader) return header(req, options.secretHeader);
  if (options.secretQueryParam) return new URL(req.url).searchParams.get(options.secretQueryParam) ?? undefined;
  return undefined;
}

export const salesforce: WebhookScheme = {
  name: 'salesforce',
  contentTypes: ['text/xml', 'application/xml', 'application/soap+xml'],
  jsonBody: false,
  successReply: { status: 200, contentType: 'text/xml; charset=utf-8', body: ACK },
  parseOptions: (options) => parseWith('salesforce', Options, options),
  verify(req, ctx) {
    const options = parseWith('salesforce', Options, ctx.options);
    const xml = req.rawBody.toString('utf8');
    const orgIds = elements(xml, 'OrganizationId');
    if (orgIds.length === 0) return missing('OrganizationId element');
    if (orgIds.length > 1 || !sameOrg(orgIds[0] ?? '', options.organizationId)) return invalid('OrganizationId is not the configured organization');
    if (!options.secretHeader && !options.secretQueryParam) return { ok: true };
    const secret = sharedSecret(req, options);
    if (secret === undefined) return missing(options.secretHeader ?? `query parameter ${options.secretQueryParam}`);
    return verifyAgainstSecrets(ctx, [secret], (candidate) => candidate);
  },
  describe(req) {
    const xml = req.rawBody.toString('utf8');
    const sObjectType = /<(?:[\w-]+:)?sObject\s[^>]*xsi:type="(?:[\w-]+:)?([\w]+)"/.exec(xml)?.[1] ?? 'unknown';
    const ids = notificationIds(xml);
    if (ids.length === 0) return { type: `salesforce.outbound.${sObjectType}` };
    // One notification: its id. Several: one id for the batch, from all of them.
    const deliveryId = ids.length === 1 ? ids[0] : `salesforce:${digest('sha256', [[...ids].sort().join(',')], 'hex')}`;
    return { type: `salesforce.outbound.${sObjectType}`, ...(deliveryId ? { deliveryId } : {}) };
  },
};

/** The `Id` directly inside each `Notification`, not the record ids inside its sObject. */
function notificationIds(xml: string): string[] {
  const blocks = xml.match(/<(?:[\w-]+:)?Notification(?:\s[^>]*)?>[\s\S]*?<\/(?:[\w-]+:)?Notification>/g) ?? [];
  const withoutRecord = (block: string) => block.replace(/<(?:[\w-]+:)?sObject[\s>][\s\S]*?<\/(?:[\w-]+:)?sObject>/, '');
  return blocks.map((block) => elements(withoutRecord(block), 'Id')[0]).filter((id): id is string => !!id);
}
