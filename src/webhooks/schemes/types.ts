/**
 * The contract every webhook scheme implements. A scheme is data (its
 * defaults and options) plus one small verifier file. Ingest calls, in order:
 * `handshake` (answer provider challenges that need no stored event),
 * `verify` (signature + timestamp window over the raw bytes), then
 * `describe` (event type and the provider's delivery id for dedup).
 */
export interface WebhookRequest {
  /** The exact bytes received; never a re-serialised body. */
  rawBody: Buffer;
  /** Header names lower-cased; repeated headers joined by ", ". */
  headers: Readonly<Record<string, string | undefined>>;
  method: string;
  /** The full public URL the provider called, as it signed it (protocol, host, path, query). */
  url: string;
}

export interface VerifyContext {
  /** Every active secret of the source; any one may match (rotation). */
  secrets: readonly string[];
  /** Scheme options stored on the source (validated by the scheme's `options` parser). */
  options: Readonly<Record<string, unknown>>;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: number;
}

export type VerifyFailure = {
  ok: false;
  code: 'signature_missing' | 'signature_invalid' | 'timestamp_out_of_window';
  /** For logs only; never sent to the caller. */
  reason: string;
};

export type VerifyResult = { ok: true } | VerifyFailure;

export interface HandshakeReply {
  status: number;
  contentType: string;
  body: string;
  /**
   * Store the handshake request as an event too, so the operator can read
   * it (Notion's one-time verification token arrives this way, unsigned).
   */
  record?: boolean;
}

export interface EventDescription {
  /** Provider event type, e.g. `issues.opened`, `invoice.paid`, `contact.creation`. */
  type: string;
  /** The provider's delivery or event id, when it sends one; ingest falls back to sha256(body). */
  deliveryId?: string;
}

export interface WebhookScheme {
  /** Catalog name of the scheme, e.g. `github`, `stripe`, `hubspot-v3`, `generic-hmac`. */
  name: string;
  /** Content types the scheme accepts (`application/json`, `application/x-www-form-urlencoded`, `text/xml` ...); ingest answers 415 otherwise. */
  contentTypes: readonly string[];
  /** Whether the body must parse as JSON (ingest answers 400 otherwise). */
  jsonBody: boolean;
  /** Default allowed clock skew in seconds for timestamped schemes. */
  toleranceSec?: number;
  /** Validates and fills defaults of the per-source options; throws a SchemeOptionsError naming the field. */
  parseOptions: (options: unknown) => Record<string, unknown>;
  /**
   * Answers a provider handshake (Monday challenge, Slack url_verification,
   * Notion verification, Google `sync`) or returns undefined. Handshakes that
   * the provider signs are only answered after `verify` succeeds; ingest
   * calls this with `verified` telling which stage it is at.
   */
  handshake?: (req: WebhookRequest, ctx: VerifyContext, verified: boolean) => HandshakeReply | undefined;
  verify: (req: WebhookRequest, ctx: VerifyContext) => VerifyResult | Promise<VerifyResult>;
  /**
   * The 2xx reply the provider requires once the event is committed, when it
   * is not an empty 200 (Salesforce outbound messages need a SOAP
   * `<Ack>true</Ack>`, or they are retried). Ingest sends it instead of its default.
   */
  successReply?: HandshakeReply;
  /**
   * `options` are the source's scheme options (as given to `verify` in
   * `ctx.options`); configurable schemes such as `generic-hmac` read the event
   * type and id locations from them, so ingest should pass them.
   */
  describe: (req: WebhookRequest, body: unknown, options?: Readonly<Record<string, unknown>>) => EventDescription;
}

export class SchemeOptionsError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'SchemeOptionsError';
    this.field = field;
  }
}
