import { compatibilityPartitioner } from '@platformatic/kafka';
import { fromBinary, toBinary, type CloudEvent } from './envelope.ts';
import { BusError } from './port.ts';
import { assertTopic } from './topics.ts';

/**
 * The pure half of the Kafka adapter: configuration, records and partitions.
 * Kept apart from the client so it is tested without a broker.
 *
 * Records use CloudEvents binary mode (the Kafka protocol binding): attributes
 * as `ce_*` headers, `content-type` header, the data as the JSON value, and
 * the partition key (else the event id) as the record key. Binary mode lets
 * Kafka tooling filter on headers and keeps the value the plain payload other
 * Kafka consumers expect.
 */
export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** Partitions for topics the adapter creates. */
  partitions: number;
  replicas: number;
}

/** Parses `kafka://host:port,host:port?clientId=…&partitions=…&replicas=…`. */
export function parseKafkaUrl(url: string): KafkaConfig {
  const match = /^kafka:\/\/([^/?#]+)\/?(?:\?(.*))?$/.exec(url);
  if (!match) throw new BusError(`not a kafka:// URL: ${url}`);
  const brokers = match[1]!.split(',').map((b) => b.trim()).filter(Boolean).map((b) => {
    const hp = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(b);
    if (!hp) throw new BusError(`invalid Kafka broker "${b}" in BUS_URL`);
    const port = hp[2] === undefined ? 9092 : Number(hp[2]);
    if (port < 1 || port > 65535) throw new BusError(`invalid port in Kafka broker "${b}"`);
    return `${hp[1]}:${port}`;
  });
  if (brokers.length === 0) throw new BusError('kafka:// URL names no broker');
  const params = new URLSearchParams(match[2] ?? '');
  const int = (name: string, fallback: number) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new BusError(`kafka:// parameter ${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  return {
    brokers,
    clientId: params.get('clientId') ?? 'switchyard',
    partitions: int('partitions', 6),
    replicas: int('replicas', 1),
  };
}

const MAX_TOPIC = 249;

/** Port topics are valid Kafka topic names as they are; this checks the length Kafka adds. */
export function kafkaTopic(topic: string): string {
  assertTopic(topic);
  if (topic.length > MAX_TOPIC) throw new BusError(`Kafka topic names are at most ${MAX_TOPIC} characters: ${topic}`);
  return topic;
}

/** Kafka's default (Java client) partition for a key: murmur2, positive, modulo the partition count. */
export function kafkaPartition(key: string, partitions: number): number {
  const hash = compatibilityPartitioner({ topic: '' } as never, Buffer.from(key, 'utf8'));
  return hash % partitions;
}

export interface KafkaRecordOut {
  topic: string;
  key: Buffer;
  value: Buffer;
  headers: Map<Buffer, Buffer>;
}

export function toKafkaRecord(topic: string, event: CloudEvent, key?: string): KafkaRecordOut {
  const { headers, body } = toBinary(event);
  const h = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(headers)) h.set(Buffer.from(name), Buffer.from(value, 'utf8'));
  return { topic: kafkaTopic(topic), key: Buffer.from(key ?? event.id, 'utf8'), value: body, headers: h };
}

export function fromKafkaRecord(record: { headers: Map<Buffer, Buffer> | Map<string, string>; value?: Buffer | undefined; key?: Buffer | undefined }): { event: CloudEvent; key?: string } {
  const headers: Record<string, string> = {};
  for (const [name, value] of record.headers) headers[name.toString()] = value.toString();
  const event = fromBinary(headers, record.value);
  const key = record.key?.toString('utf8');
  return key === undefined ? { event } : { event, key };
}
