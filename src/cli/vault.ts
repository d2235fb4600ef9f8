import type { Command } from 'commander';
import type { Config } from '../config/schema.ts';
import { openStore } from '../main.ts';
import type { Store } from '../store/store.ts';
import { Vault, formatKeyRing, generateMasterKey, loadOrCreateLocalKeyRing, parseKeyRing, rotateAll, type RotationSource, type SealedRow } from '../vault/index.ts';
import { connectionRotationSource } from '../connections/rotation-source.ts';
import { secretsContext } from '../webhooks/sources.ts';
import { secretContext } from '../events/subscriptions/service.ts';
import { HubError } from '../domain/errors.ts';

/** Pages sealed values by id and writes them back compare-and-set: the shape every table's rotation takes. */
function pagedSource(read: (after: string, limit: number) => Promise<{ id: string; sealed: string }[]>, context: (id: string) => string, update: RotationSource['update']): RotationSource {
  return {
    async *batches(): AsyncIterable<SealedRow[]> {
      let after = '';
      for (;;) {
        const rows = await read(after, 200);
        if (rows.length === 0) return;
        yield rows.map((r) => ({ id: r.id, context: context(r.id), sealed: r.sealed }));
        after = rows.at(-1)!.id;
      }
    },
    update,
  };
}

function sources(store: Store): [string, RotationSource][] {
  return [
    ['connections', connectionRotationSource(store)],
    ['webhook sources', pagedSource((a, n) => store.webhookSourceLookup.sealedAfter(a, n), secretsContext, (id, o, n) => store.webhookSourceLookup.replaceSealed(id, o, n))],
    ['subscriptions', pagedSource((a, n) => store.subscriptionConsumer.sealedAfter(a, n), secretContext, (id, o, n) => store.subscriptionConsumer.replaceSealed(id, o, n))],
  ];
}

/**
 * `keys rotate-master`: re-wraps every sealed secret under the key ring's
 * primary key. Online (the hub keeps running: each row is a compare-and-set,
 * and a row re-sealed meanwhile is left to the writer), resumable (re-run it
 * after an interruption) and idempotent (rows already under the primary are
 * skipped).
 */
export function registerVaultCommands(keys: Command, loadConfig: () => Config): void {
  keys.command('generate-master').description('print a new master key entry; put it first in MASTER_KEYS, keep the old ones after it')
    .action(() => {
      process.stdout.write(`${formatKeyRing([generateMasterKey()])}\n`);
    });

  keys.command('rotate-master').description('re-wrap every sealed secret under the primary (first) key of MASTER_KEYS')
    .action(async () => {
      const config = loadConfig();
      const ring = config.masterKeys ? parseKeyRing(config.masterKeys) : (await loadOrCreateLocalKeyRing(config.dataDir)).ring;
      const vault = new Vault(ring);
      const { db, store } = openStore(config);
      try {
        if (!(await store.migrationsCurrent())) throw new HubError('unavailable', 'the database schema is not current; run `switchyard migrate up` first');
        let failed = 0;
        for (const [name, source] of sources(store)) {
          const r = await rotateAll(vault, source);
          failed += r.failed;
          process.stdout.write(`${name}: ${r.rewrapped} re-wrapped, ${r.skipped} already current, ${r.conflicts} changed meanwhile, ${r.failed} failed\n`);
          for (const f of r.failures.slice(0, 5)) process.stdout.write(`  ${f.id}: ${f.message}\n`);
        }
        if (failed > 0) throw new HubError('internal', `${failed} sealed values could not be re-wrapped (listed above); the rest are done`);
        process.stdout.write(`done: every sealed secret is under key ${ring.primaryKid}; old keys can leave MASTER_KEYS once every process runs with this ring\n`);
      } finally {
        await db.close();
      }
    });
}
