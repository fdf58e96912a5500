import { STATUS_CODES } from 'node:http';

/** An error answer of the API server, with its HTTP status and Status reason (NotFound, Conflict, Invalid...). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly status: number;
  readonly reason: string;
  readonly details: unknown;

  constructor(status: number, reason: string, message: string, details?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
}

/** What came back for one request: enough to explain an answer that is not a Kubernetes Status. */
export interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

// The longest excerpt of a foreign body an error message carries: enough for a proxy's title, not a whole page.
const excerptLength = 200;

/** The StatusReason the API server would have given for an HTTP status, as client-go derives it. */
export function reasonForStatus(status: number): string {
  const reasons: Record<number, string> = {
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
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[status] ?? (status >= 500 ? 'InternalError' : String(status));
}

/**
 * The error of a failed answer (status 400 and above). A Kubernetes Status keeps the API server's own reason,
 * message and details verbatim (callers show them to people). Anything else (a proxy's HTML page, a webhook's
 * text, nothing at all) is named by `request` ("GET https://host/path"), its status, and a short excerpt.
 */
export function errorFromAnswer(request: string, answer: Answer): KubeApiError {
  const status = parseStatus(answer.body);
  if (status?.message) {
    return new KubeApiError(
      answer.status,
      status.reason || reasonForStatus(answer.status),
      status.message,
      status.details,
    );
  }
  const line = `${answer.status} ${STATUS_CODES[answer.status] ?? ''}`.trim();
  const excerpt = bodyExcerpt(answer);
  const what = excerpt
    ? `not a Kubernetes Status${answer.contentType ? ` (${answer.contentType})` : ''}: ${JSON.stringify(excerpt)}`
    : 'with an empty body';
  return new KubeApiError(answer.status, reasonForStatus(answer.status), `${request}: HTTP ${line}, ${what}`);
}

/**
 * A failure named after what was being done: `errorAbout('apply NetworkPolicy a/b', error)` reads
 * "apply NetworkPolicy a/b: <the original message>". A KubeApiError stays one, with the same status, reason and
 * details (callers keep testing `error.status === 409`); the original error is always the cause.
 */
export function errorAbout(subject: string, error: unknown): Error {
  const message = `${subject}: ${error instanceof Error ? error.message : String(error)}`;
  if (error instanceof KubeApiError)
    return new KubeApiError(error.status, error.reason, message, error.details, { cause: error });
  return new Error(message, { cause: error });
}

/**
 * A bounded, one-line excerpt of a body. HTML is reduced to its text: a proxy's error page says what it means
 * in its title and heading, and its markup and styles would fill the excerpt before any word of it.
 */
export function bodyExcerpt(answer: Pick<Answer, 'body' | 'contentType'>): string {
  const looksLikeHtml = /html/i.test(answer.contentType ?? '') || /^\s*<(!doctype|html|head|body)/i.test(answer.body);
  const text = looksLikeHtml ? htmlText(answer.body) : answer.body;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > excerptLength ? `${line.slice(0, excerptLength)}…` : line;
}

function htmlText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A Kubernetes Status document, or undefined for any other body. */
function parseStatus(body: string): { reason?: string; message?: string; details?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { reason, message, details } = parsed as Record<string, unknown>;
    return {
      reason: typeof reason === 'string' ? reason : undefined,
      message: typeof message === 'string' ? message : undefined,
      details,
    };
  } catch {
    return undefined;
  }
}
