/**
 * A sync worker in its own process, for the crash test: same database, same
 * vault key, the real connectors; the fakes live in the parent. Prints
 * `ready` once claiming. The parent kills it with SIGKILL mid-run.
 */
import pino from 'pino';
import { loadCatalog } from '../../src/catalog/index.ts';
import { ConnectorRegistry } from '../../src/connectors/registry.ts';
import { ConnectorRuntime } from '../../src/connectors/runtime.ts';
import { connector as hubspot } from '../../src/connectors/hubspot/index.ts';
import { connector as monday } from '../../src/connectors/monday/index.ts';
import { memoryNudger } from '../../src/queue/nudge.ts';
import { Queue } from '../../src/queue/queue.ts';
import { Worker } from '../../src/queue/worker.ts';
import { openDatabase } from '../../src/store/dialect.ts';
import { createStore } from '../../src/store/store.ts';
import { SyncRunner } from '../../src/sync/runner.ts';
import { Vault } from '../../src/vault/index.ts';
import { KEY_A, ring } from '../../src/vault/test-kit.ts';
import { CATALOG_DIR, vaultTokens } from './harness.ts';

const [url, leaseMs] = process.argv.slice(2);
const log = pino({ level: 'silent' });
const handle = openDatabase(url!, { poolMax: 4 });
const store = createStore(handle);
const registry = new ConnectorRegistry([hubspot, monday]);
const runtime = new ConnectorRuntime({ store, catalog: await loadCatalog(CATALOG_DIR), registry, tokens: vaultTokens(store, new Vault(ring(KEY_A))), log });
const queue = new Queue(memoryNudger());
queue.register(new SyncRunner({ store, queue, runtime, log }).jobKind());
new Worker(store, queue, log, { concurrency: 1, leaseMs: Number(leaseMs), pollMs: 20 }).start();
process.stdout.write('ready\n');
