import type { ConnectorContext, ModelSpec, UpsertInput, UpsertResult } from '../types.ts';
import { collectionOps } from './collection.ts';
import { failure, gmt } from './rest.ts';
import { collectionModel } from './users-terms.ts';

/**
 * Media: reads in id order (full); a create uploads the file the
 * documented raw way (the bytes as the body, `Content-Disposition:
 * attachment; filename=…`), then sets title, alt text and caption in a
 * second call, since the upload itself takes only the file. The record
 * carries `sourceUrl`, where WordPress serves the file. Records to upload
 * carry the file as base64 in `data` with `filename` and `mimeType`.
 */
interface RawMedia {
  id: number; slug: string; title: { raw?: string; rendered: string }; caption?: { raw?: string; rendered: string };
  alt_text?: string; mime_type: string; media_type: string; source_url: string; author: number; post: number | null;
  date_gmt: string; modified_gmt: string; link: string;
}

export interface MediaRecord {
  id: string; slug: string; title: string; caption: string; altText: string; mimeType: string; mediaType: string;
  sourceUrl: string; author: string; post: string | null; date: string; modified: string; link: string;
}

const META: Record<string, string> = { title: 'title', altText: 'alt_text', caption: 'caption', post: 'post' };

function metaOf(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [from, to] of Object.entries(META)) if (record[from] !== undefined) out[to] = to === 'post' ? Number(record[from] ?? 0) : record[from];
  return out;
}

const ops = collectionOps<RawMedia, MediaRecord>({
  base: 'media',
  toRecord: (m) => ({
    id: String(m.id), slug: m.slug, title: m.title.raw ?? m.title.rendered, caption: m.caption?.raw ?? m.caption?.rendered ?? '', altText: m.alt_text ?? '',
    mimeType: m.mime_type, mediaType: m.media_type, sourceUrl: m.source_url, author: String(m.author), post: m.post ? String(m.post) : null,
    date: gmt(m.date_gmt), modified: gmt(m.modified_gmt), link: m.link,
  }),
  modifiedAt: (r) => Date.parse(r.modified),
  bodyOf: metaOf,
});

/** A quoted filename for Content-Disposition, with the RFC 5987 form for names that are not plain ASCII. */
function disposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return ascii === filename ? `attachment; filename="${filename}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

async function upload(ctx: ConnectorContext, input: UpsertInput): Promise<UpsertResult> {
  const { data, filename, mimeType } = input.record as { data?: unknown; filename?: unknown; mimeType?: unknown };
  if (typeof data !== 'string' || typeof filename !== 'string' || filename === '') {
    return { ok: false, error: 'wordpress media: a new file needs data (base64) and filename', retryable: false };
  }
  const bytes = new Uint8Array(Buffer.from(data, 'base64'));
  const created = await ctx.client.json<RawMedia>({
    method: 'POST', path: '/wp/v2/media', body: bytes, signal: ctx.signal,
    headers: { 'content-type': typeof mimeType === 'string' ? mimeType : 'application/octet-stream', 'content-disposition': disposition(filename) },
  });
  const meta = metaOf(input.record);
  if (Object.keys(meta).length > 0) {
    await ctx.client.json({ method: 'POST', path: `/wp/v2/media/${created.id}`, body: meta, idempotent: true, signal: ctx.signal });
  }
  return { ok: true, id: String(created.id), created: true, modifiedAt: Date.parse(gmt(created.modified_gmt)) };
}

export const mediaModel: ModelSpec<MediaRecord> = {
  ...collectionModel<MediaRecord>('media', 'Media library items with their source URL; uploads from base64 data; full reads; deletes are permanent (media has no trash).', {
    title: 'WordPress media', type: 'object', required: ['id', 'mimeType', 'sourceUrl'],
    properties: {
      ...Object.fromEntries(['id', 'slug', 'title', 'caption', 'altText', 'mimeType', 'mediaType', 'sourceUrl', 'author', 'date', 'modified', 'link'].map((k) => [k, { type: 'string' }])),
      post: { type: ['string', 'null'], description: 'the post the file is attached to' },
    },
  }, ops, []),
  async upsert(ctx, inputs) {
    const out: UpsertResult[] = [];
    for (const input of inputs as unknown as UpsertInput[]) {
      if (input.id) out.push(...(await ops.upsert(ctx, [input])));
      else out.push(await upload(ctx, input).catch(failure));
    }
    return out;
  },
};
