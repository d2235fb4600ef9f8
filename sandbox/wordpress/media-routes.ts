import type { FastifyInstance } from 'fastify';
import { authCode, callerOf, can, sendError, wpError } from './auth.ts';
import { slugify } from './content.ts';
import { apiRoot, presentPost } from './present.ts';
import { wpDate, type Post, type WpCtx } from './state.ts';

/**
 * Media upload the documented raw way: the file bytes as the body, its type
 * in Content-Type and its name in `Content-Disposition: attachment; filename=`.
 * Uploaded files are served back under /wp-content/uploads/YYYY/MM/.
 */
export function registerMediaRoutes(app: FastifyInstance, ctx: WpCtx): void {
  // Any other body type is a file upload; keep its bytes.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post('/wp-json/wp/v2/media', async (req, reply) => {
    const caller = callerOf(ctx, req, reply);
    if (!caller) return reply;
    const user = caller.user;
    if (!user || !can(user, 'upload_files')) return sendError(reply, wpError('rest_cannot_create', 'Sorry, you are not allowed to upload media on this site.', authCode(user)));
    const raw = req.body;
    const bytes = Buffer.isBuffer(raw) ? raw : typeof raw === 'string' ? Buffer.from(raw) : undefined;
    if (!bytes || bytes.length === 0) return sendError(reply, wpError('rest_upload_no_data', 'No data supplied.', 400));
    const fileName = fileNameOf(req.headers['content-disposition']);
    if (!fileName) return sendError(reply, wpError('rest_upload_no_content_disposition', 'No Content-Disposition supplied.', 400));
    const now = wpDate(Date.now());
    const title = fileName.replace(/\.[^.]+$/, '');
    const p: Post = {
      id: ctx.state.nextPostId++, type: 'attachment', status: 'inherit', slug: slugify(title), title, content: '', excerpt: '', author: user.id,
      date: now, modified: now, parent: 0, menuOrder: 0, sticky: false, categories: [], tags: [], featuredMedia: 0, password: '',
      mimeType: String(req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim(), fileName, file: bytes,
    };
    ctx.state.posts.set(p.id, p);
    reply.header('Location', `${apiRoot(ctx)}/wp/v2/media/${p.id}`);
    return reply.code(201).send(presentPost(ctx, p, 'edit'));
  });

  app.get('/wp-content/uploads/:year/:month/:file', async (req, reply) => {
    const { year, month, file } = req.params as { year: string; month: string; file: string };
    const p = [...ctx.state.posts.values()].find((x) => x.type === 'attachment' && x.fileName === file && x.date.startsWith(`${year}-${month}`));
    if (!p?.file) return reply.code(404).type('text/html').send('<h1>Not Found</h1>');
    return reply.type(p.mimeType ?? 'application/octet-stream').send(p.file);
  });
}

/** Reads `attachment; filename="a.jpg"`, `filename=a.jpg` or RFC 5987 `filename*=UTF-8''a.jpg`. */
export function fileNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*[^']*''([^;]+)/i.exec(header);
  if (star?.[1]) return decodeURIComponent(star[1].trim());
  const m = /filename\s*=\s*(?:"([^"]+)"|([^;]+))/i.exec(header);
  const name = (m?.[1] ?? m?.[2])?.trim();
  return name ? name.replace(/^.*[\\/]/, '') : undefined;
}
