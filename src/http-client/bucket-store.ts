import type { Redis } from 'ioredis';
import { applyOp, type BucketOp, type BucketParams, type BucketResult } from './bucket-math.ts';

/**
 * Where bucket state lives. Memory serves `--role all`; Redis lets every
 * worker process spend one shared budget. One store serves many buckets, so
 * the composition root makes one and hands it to every client.
 */
export interface BucketStore {
  run(key: string, params: BucketParams, op: BucketOp): Promise<BucketResult>;
}

export function memoryBucketStore(): BucketStore {
  const tats = new Map<string, number>();
  return {
    async run(key, params, op) {
      const now = Date.now();
      const result = applyOp(tats.get(key), now, params, op);
      if (result.tat > now) tats.set(key, result.tat);
      else tats.delete(key);
      return result;
    },
  };
}

/*
 * The same arithmetic as bucket-math.ts, atomically in Redis, on Redis's clock
 * so that processes with skewed clocks still agree. The key expires when the
 * bucket would be full, so idle accounts cost no memory.
 */
const LUA = `
local op = ARGV[1]
local n = tonumber(ARGV[2])
local per = tonumber(ARGV[3])
local fill = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '') or now
if tat < now then tat = now end
local nxt = tat
local ok = 1
local wait = 0
if op == 'take' then
  local wanted = tat + n * per
  if wanted - now > fill + 0.001 then
    ok = 0
    wait = math.ceil(wanted - fill - now)
  else
    nxt = wanted
  end
elseif op == 'debt' then
  nxt = tat + n * per
elseif op == 'cap' then
  local floor = now + fill - n * per
  if floor > nxt then nxt = floor end
elseif op == 'until' then
  local floor = n + fill - per
  if floor > nxt then nxt = floor end
end
if nxt > now and nxt ~= tat then
  redis.call('SET', KEYS[1], string.format('%.6f', nxt), 'PX', math.ceil(nxt - now))
end
local tokens = math.floor((fill - (nxt - now)) / per + 0.001)
return { ok, tokens, wait, string.format('%.6f', nxt) }
`;

const COMMAND = 'switchyardTokenBucket';

type BucketCommand = (key: string, op: string, n: string, per: string, fill: string) => Promise<[number, number, number, string]>;

export function redisBucketStore(redis: Redis, prefix = 'switchyard:rl:'): BucketStore {
  const client = redis as Redis & { [COMMAND]?: BucketCommand };
  if (typeof client[COMMAND] !== 'function') redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: LUA });
  return {
    async run(key, params, op) {
      const n = op.op === 'until' ? op.at : op.op === 'peek' ? 0 : op.n;
      const [ok, tokens, waitMs, tat] = await (client[COMMAND] as BucketCommand)(`${prefix}${key}`, op.op, String(n), String(params.perTokenMs), String(params.fillMs));
      return { ok: ok === 1, tokens, waitMs, tat: Number(tat) };
    },
  };
}
