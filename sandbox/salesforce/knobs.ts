/**
 * Behaviour switches for the Salesforce fake. Defaults follow PROVIDERS.md;
 * items it marks UNCONFIRMED are knobs so a test can flip them.
 */
export interface SalesforceKnobs {
  /** Org-wide API request allowance per rolling window (Enterprise base 100,000). */
  dailyApiLimit: number;
  /** Length of the "daily" rolling window; shrink it in tests to watch recovery. */
  apiWindowMs: number;
  /** HTTP status of REQUEST_LIMIT_EXCEEDED (403 per secondary sources; UNCONFIRMED). */
  limitExceededStatus: number;
  /** Classic token responses carry no `expires_in` (UNCONFIRMED); flip to add it. */
  includeExpiresIn: boolean;
  /** Latest API version the org offers; versions 31.0..latest are served. */
  latestVersion: number;
  /** Default query batch size; `Sforce-Query-Options: batchSize=` may lower it (200..2000). */
  queryBatchSize: number;
  /** Records per Bulk 2.0 query result page when the caller gives no maxRecords. */
  bulkQueryPageSize: number;
  /** How long a Bulk 2.0 job sits InProgress before completing. */
  bulkProcessingMs: number;
  /** Longest JWT-bearer assertion lifetime accepted, in seconds ("within 3 minutes": UNCONFIRMED). */
  jwtMaxLifetimeSec: number;
  /** Username the JWT `sub` must name (the org's one integration user). */
  username: string;
  /** Object types whose changes send outbound messages; empty means every type. */
  outboundObjects: string[];
}

export const defaultKnobs: SalesforceKnobs = {
  dailyApiLimit: 100_000,
  apiWindowMs: 24 * 60 * 60 * 1000,
  limitExceededStatus: 403,
  includeExpiresIn: false,
  latestVersion: 66,
  queryBatchSize: 2000,
  bulkQueryPageSize: 50_000,
  bulkProcessingMs: 30,
  jwtMaxLifetimeSec: 180,
  username: 'integration@switchyard-sandbox.example',
  outboundObjects: [],
};
