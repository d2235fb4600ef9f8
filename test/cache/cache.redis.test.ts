import { Redis } from 'ioredis';
import { RedisCache } from '../../src/cache/redis.ts';
import { connectRedis } from '../../src/events/bus/redis-connect.ts';
import { cacheSuite } from './cache-suite.ts';

const URL = 'redis://127.0.0.1:6379';

cacheSuite(
  'redis',
  async (prefix) => new RedisCache(await connectRedis(URL), { prefix, ownsClient: true }),
  async (prefix) => {
    const redis: Redis = await connectRedis(URL);
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
    redis.disconnect();
  },
);
