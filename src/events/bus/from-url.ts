import { BusError, type Bus } from './port.ts';

/**
 * Picks and connects a bus adapter from a BUS_URL string. The caller (the
 * composition root) reads the setting; this never touches the environment.
 * Adapters are imported on demand so a process loads only its broker client.
 *
 *   memory://
 *   redis://host:6379/0?mode=pubsub            (default mode)
 *   redis://host:6379/0?mode=streams&prefix=…&maxLen=…&claimIdleMs=…&blockMs=…&discoverEveryMs=…
 *   nats://host:4222[,host2:4222]?prefixSegments=1&ackWaitMs=…&duplicateWindowMs=…
 *   amqp://user:pass@host:5672/vhost?exchange=switchyard.events   (amqps:// too)
 *   kafka://host:9092,host:9092?clientId=…&partitions=…&replicas=…
 */
export const BUS_URL_FORMS = ['memory://', 'redis://…?mode=pubsub|streams', 'nats://…', 'amqp://…', 'kafka://host:port,host:port'];

export async function busFromUrl(url: string): Promise<Bus> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'memory': {
      const { MemoryBus } = await import('./memory.ts');
      return new MemoryBus();
    }
    case 'redis':
    case 'rediss':
      return redisBus(url);
    case 'nats':
    case 'tls': {
      const { servers, params } = splitServers(url);
      const { NatsBus } = await import('./nats.ts');
      return NatsBus.connect({
        servers,
        ...optionalInt(params, 'prefixSegments'),
        ...optionalInt(params, 'ackWaitMs'),
        ...optionalInt(params, 'duplicateWindowMs'),
      });
    }
    case 'amqp':
    case 'amqps': {
      const u = parse(url);
      const exchange = u.searchParams.get('exchange');
      u.searchParams.delete('exchange');
      const { RabbitBus } = await import('./rabbitmq.ts');
      return RabbitBus.connect({ url: u.toString(), ...(exchange ? { exchange } : {}) });
    }
    case 'kafka': {
      const { parseKafkaUrl } = await import('./kafka-records.ts');
      const { KafkaBus } = await import('./kafka.ts');
      return new KafkaBus(parseKafkaUrl(url));
    }
    default:
      throw new BusError(`unsupported BUS_URL "${redactUrl(url)}": expected one of ${BUS_URL_FORMS.join(', ')}`);
  }
}

async function redisBus(url: string): Promise<Bus> {
  const u = parse(url);
  const mode = u.searchParams.get('mode') ?? 'pubsub';
  const prefix = u.searchParams.get('prefix');
  const tuning = ['maxLen', 'claimIdleMs', 'blockMs', 'discoverEveryMs'].reduce((acc, name) => ({ ...acc, ...optionalInt(u.searchParams, name) }), {});
  for (const name of ['mode', 'prefix', 'maxLen', 'claimIdleMs', 'blockMs', 'discoverEveryMs']) u.searchParams.delete(name);
  if (mode === 'pubsub') {
    const { RedisPubSubBus } = await import('./redis-pubsub.ts');
    return RedisPubSubBus.connect({ url: u.toString() });
  }
  if (mode === 'streams') {
    const { RedisStreamsBus } = await import('./redis-streams.ts');
    return RedisStreamsBus.connect({ url: u.toString(), ...(prefix ? { prefix } : {}), ...tuning });
  }
  throw new BusError(`unsupported redis mode "${mode}": expected mode=pubsub or mode=streams`);
}

function parse(url: string): URL {
  try {
    return new URL(url);
  } catch (err) {
    throw new BusError(`BUS_URL is not a valid URL: ${redactUrl(url)}`, { cause: err });
  }
}

/** NATS URLs may list several servers separated by commas, which WHATWG URL cannot parse. */
function splitServers(url: string): { servers: string[]; params: URLSearchParams } {
  const [, scheme, rest] = /^([a-z]+):\/\/(.*)$/i.exec(url) ?? [];
  const [hosts = '', query = ''] = (rest ?? '').split('?', 2);
  const servers = hosts.replace(/\/$/, '').split(',').filter(Boolean).map((h) => `${scheme}://${h}`);
  if (servers.length === 0) throw new BusError(`BUS_URL names no NATS server: ${redactUrl(url)}`);
  return { servers, params: new URLSearchParams(query) };
}

function optionalInt(params: URLSearchParams, name: string): Record<string, number> {
  const raw = params.get(name);
  if (raw === null) return {};
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BusError(`BUS_URL parameter ${name} must be a positive integer, got "${raw}"`);
  return { [name]: n };
}

/** Never echo credentials from a URL into an error message. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
