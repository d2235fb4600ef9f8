import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Wakes waiting workers when work arrives. Only a hint: workers poll anyway,
 * so a lost nudge delays a job by at most one poll interval.
 */
export interface Nudger {
  notify: () => void;
  onNudge: (fn: () => void) => () => void;
  close: () => Promise<void>;
}

export function memoryNudger(): Nudger {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    notify: () => void events.emit('nudge'),
    onNudge: (fn) => {
      events.on('nudge', fn);
      return () => void events.off('nudge', fn);
    },
    close: async () => void events.removeAllListeners(),
  };
}

const CHANNEL = 'switchyard_jobs';

/**
 * PostgreSQL LISTEN/NOTIFY between processes, plus the in-process emitter so
 * a notify in this process wakes this process's workers at once. A listener
 * connection that drops is reopened on the next poll; polling covers the gap.
 */
export async function postgresNudger(url: string, onError: (err: Error) => void): Promise<Nudger> {
  const local = memoryNudger();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', onError);
  let listener: pg.Client | undefined;
  let closed = false;
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => {
      onError(err);
      listener = undefined;
    });
    client.on('notification', () => local.notify());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  };
  await connect();
  return {
    notify: () => {
      local.notify();
      if (!closed) pool.query(`SELECT pg_notify('${CHANNEL}', '')`).catch(onError);
      if (!listener && !closed) connect().catch(onError);
    },
    onNudge: local.onNudge,
    close: async () => {
      closed = true;
      await local.close();
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}
