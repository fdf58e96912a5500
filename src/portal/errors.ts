// Pure: the web UI imports these types (type-only), so what it reads is what the portal sends.

/** One field at fault in a refusal: its path, a message a person understands, and its pattern for machines. */
export interface FieldProblem {
  /** The field as the API server names it: spec.nodePool.size, or `name` for the request's name. */
  path: string;
  /** The field, the value given and what is allowed, in words. */
  message: string;
  /** The regular expression the field must match, when the refusal is about the value's shape. */
  pattern?: string;
}

/** The JSON body of every error the portal returns. */
export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldProblem[] };
}

/** A refusal the API reports as JSON: a status, a stable code, a message a person understands, fields at fault. */
export class PortalError extends Error {
  override name = 'PortalError';
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];

  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** The JSON body of every error the portal returns. */
export function errorBody(error: PortalError): ErrorBody {
  return {
    error: { code: error.code, message: error.message, ...(error.fields.length ? { fields: error.fields } : {}) },
  };
}
