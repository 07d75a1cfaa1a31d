/**
 * Errors of the typed client. A request the server refuses becomes an APIError carrying the server's own Status
 * (code, reason, message, details), as client-go's `errors.StatusError`; callers branch on `reason`, never on text.
 */
import type { Status } from '../../apis/meta/v1/status.ts';

/** Reasons by HTTP code, for responses whose body is not a Status (a proxy's error page, an empty body). */
const reasonsByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** A request the server answered with a failure Status. */
export class APIError extends Error {
  override readonly name = 'APIError';
  constructor(readonly status: Status) {
    super(status.message || `the server responded with ${status.code} ${status.reason ?? ''}`.trim());
  }

  /** The HTTP status code (404, 409, ...). */
  get code(): number {
    return this.status.code ?? 0;
  }

  /** The machine-readable reason (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, ...). */
  get reason(): string {
    return this.status.reason ?? '';
  }

  get details(): Status['details'] {
    return this.status.details;
  }

  /**
   * The APIError of a failed response: the body's Status when it is one, otherwise a Status made up from the
   * HTTP code and the body text, so callers always see the same shape.
   */
  static fromResponse(code: number, body: string): APIError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (isStatus(parsed)) return new APIError({ ...parsed, code: parsed.code ?? code });
    return new APIError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      code,
      reason: reasonsByCode[code] ?? 'Unknown',
      message: body.trim() || `the server responded with HTTP ${code}`,
    });
  }
}

export function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

/** True when `err` is an APIError with this reason: `if (hasReason(e, 'NotFound')) ...`. */
export function hasReason(err: unknown, reason: string): err is APIError {
  return err instanceof APIError && err.reason === reason;
}

export const isNotFound = (err: unknown): err is APIError => hasReason(err, 'NotFound');
export const isAlreadyExists = (err: unknown): err is APIError => hasReason(err, 'AlreadyExists');
export const isConflict = (err: unknown): err is APIError => hasReason(err, 'Conflict');
