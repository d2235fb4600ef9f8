/**
 * A hub-like process for the cross-process tests: the connection routes on
 * a shared database, joined to a tenant the parent made. Options come as
 * JSON in HUB_OPTIONS; prints `{"url": …}` once listening; SIGTERM closes.
 */
import type { ProviderClients } from '../../src/connections/ports.ts';
import { startTestApp, testCatalog } from './helpers.ts';

interface HubOptions {
  databaseUrl: string;
  keyRing: string;
  tenantId: string;
  adminKey: string;
  providers: ProviderClients;
}

const o = JSON.parse(process.env.HUB_OPTIONS ?? '{}') as HubOptions;
const hub = await startTestApp({
  databaseUrl: o.databaseUrl, catalog: await testCatalog(), providers: o.providers, keyRing: o.keyRing,
  setup: false, tenantId: o.tenantId, adminKey: o.adminKey,
});
process.stdout.write(`${JSON.stringify({ url: hub.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
