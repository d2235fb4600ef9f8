/**
 * Replay protection shared by timestamped schemes. The window is symmetric:
 * a timestamp too far in the future is as suspect as a stale one, and both
 * usually mean a clock problem worth seeing in the logs.
 */
import type { VerifyFailure } from './types.ts';
import { invalid, stale } from './result.ts';

export const DEFAULT_TOLERANCE_SEC = 300;

/** Parses a decimal integer timestamp strictly: `12abc` or `1e9` is not a timestamp. */
export function parseTimestamp(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^\d{1,16}$/.test(text)) return undefined;
  return Number(text);
}

/**
 * Checks `raw` (seconds or milliseconds since the epoch, per `unit`) against
 * `now` (ms). Returns a failure, or undefined when the timestamp is inside
 * the window.
 */
export function checkWindow(raw: string, unit: 's' | 'ms', now: number, toleranceSec: number): VerifyFailure | undefined {
  const value = parseTimestamp(raw);
  if (value === undefined) return invalid('timestamp is not an integer');
  const atMs = unit === 's' ? value * 1000 : value;
  const skewSec = Math.abs(now - atMs) / 1000;
  if (skewSec > toleranceSec) return stale(`timestamp is ${Math.round(skewSec)} s away from now (tolerance ${toleranceSec} s)`);
  return undefined;
}
