import type { FastifyInstance } from 'fastify';
import { registerCertificate, connectedApp } from './connected-app.ts';
import { createRecord, deleteRecord, getRecord, updateRecord } from './operations.ts';
import { sendResult } from './errors.ts';
import { apiBase, type SfCtx } from './state.ts';

/**
 * `/_sandbox/salesforce/...`: a user clicking in Setup or on a record page.
 * Record edits here go through the same save path as the API, so they send
 * outbound messages too, and they do not spend the API budget.
 */
type Params = { type: string; id: string };

export function registerControlRoutes(app: FastifyInstance, ctx: SfCtx): void {
  const base = () => apiBase(`${ctx.knobs.latestVersion}.0`);
  app.post('/_sandbox/salesforce/records/:type', async (req, reply) => {
    const p = req.params as Params;
    const r = createRecord(ctx, p.type, req.body);
    if (r.status >= 400) return sendResult(reply, r);
    const got = getRecord(ctx, base(), p.type, (r.body as { id: string }).id);
    return reply.code(201).send(got.body);
  });
  app.get('/_sandbox/salesforce/records/:type/:id', async (req, reply) => {
    const p = req.params as Params;
    return sendResult(reply, getRecord(ctx, base(), p.type, p.id));
  });
  app.patch('/_sandbox/salesforce/records/:type/:id', async (req, reply) => {
    const p = req.params as Params;
    const r = updateRecord(ctx, p.type, p.id, req.body);
    if (r.status >= 400) return sendResult(reply, r);
    return sendResult(reply, getRecord(ctx, base(), p.type, p.id));
  });
  app.delete('/_sandbox/salesforce/records/:type/:id', async (req, reply) => {
    const p = req.params as Params;
    return sendResult(reply, deleteRecord(ctx, p.type, p.id));
  });
  app.get('/_sandbox/salesforce/connected-app', async () => {
    const a = connectedApp(ctx);
    return { consumerKey: a.consumerKey, consumerSecret: a.consumerSecret, privateKeyPem: a.privateKeyPem, username: ctx.knobs.username };
  });
  app.put('/_sandbox/salesforce/connected-app', async (req, reply) => {
    const b = (req.body ?? {}) as { publicKeyPem?: string; certificatePem?: string };
    const pem = b.certificatePem ?? b.publicKeyPem;
    if (!pem) return reply.code(400).send({ error: 'publicKeyPem or certificatePem is required' });
    registerCertificate(ctx, pem);
    return { ok: true };
  });
  app.post('/_sandbox/salesforce/api-usage/reset', async () => {
    ctx.state.api.reset();
    ctx.state.apiRemaining = Number.NaN;
    return { ok: true };
  });
}
