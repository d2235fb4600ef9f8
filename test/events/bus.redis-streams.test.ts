import { connectRedis } from '../../src/events/bus/redis-connect.ts';
import { busContract } from './bus-contract.ts';

busContract({
  name: 'redis-streams',
  url: (run) => `redis://127.0.0.1:6379?mode=streams&prefix=${run}:stream&claimIdleMs=1500&blockMs=500&discoverEveryMs=500`,
  cleanup: async (_bus, run) => {
    const redis = await connectRedis('redis://127.0.0.1:6379');
    for await (const keys of redis.scanStream({ match: `${run}:stream:*`, count: 500 })) if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
    redis.disconnect();
  },
});
