/**
 * The error catalog: every error the hub returns has a stable code, an HTTP
 * status and a title. The API renders them as application/problem+json.
 */
export const ERROR_CATALOG = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_json: { status: 400, title: 'Malformed JSON body' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  signature_invalid: { status: 401, title: 'Webhook signature is invalid' },
  timestamp_out_of_window: { status: 401, title: 'Webhook timestamp is outside the allowed window' },
  forbidden: { status: 403, title: 'The API key lacks a required scope' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  validation_failed: { status: 422, title: 'Validation failed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  provider_error: { status: 502, title: 'The provider answered with an error' },
  unavailable: { status: 503, title: 'Service unavailable' },
  provider_unavailable: { status: 503, title: 'The provider is unreachable or its circuit is open' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface FieldError {
  /** JSON-pointer-like path of the field at fault, e.g. `/secrets/0` or `body.name`. */
  field: string;
  message: string;
}

export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[];
  /** Response headers the error implies (Retry-After on 429/503). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message?: string, opts: { errors?: FieldError[]; cause?: unknown; headers?: Record<string, string> } = {}) {
    super(message ?? ERROR_CATALOG[code].title, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HubError';
    this.code = code;
    this.status = ERROR_CATALOG[code].status;
    this.errors = opts.errors ?? [];
    this.headers = opts.headers ?? {};
  }
}

export const notFound = (what: string, id: string): HubError => new HubError('not_found', `${what} ${id} does not exist`);

export const invalid = (field: string, message: string): HubError =>
  new HubError('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
