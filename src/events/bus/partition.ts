/**
 * A stable 32-bit hash of a partition key (FNV-1a over UTF-8). Used where
 * the hub picks a partition or member itself; the Kafka adapter uses Kafka's
 * own murmur2 instead so other Kafka clients agree with it.
 */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function partitionFor(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  return keyHash(key) % partitions;
}
