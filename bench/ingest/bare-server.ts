// The baseline: a bare Fastify server that reads the body and answers 200.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.get('/health', async () => ({ status: 'ok' }));
app.post('/api/v1/webhooks/:provider/:sourceId', async () => ({ id: 'evt_bare', duplicate: false }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
