/** A refusal the API reports as JSON: a status, a stable code, a message a person understands, fields at fault. */
export class PortalError extends Error {
  override name = 'PortalError';
  readonly status: number;
  readonly code: string;
  readonly fields: { path: string; message: string }[];

  constructor(status: number, code: string, message: string, fields: { path: string; message: string }[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** The JSON body of every error the portal returns. */
export function errorBody(error: PortalError) {
  return {
    error: { code: error.code, message: error.message, ...(error.fields.length ? { fields: error.fields } : {}) },
  };
}
