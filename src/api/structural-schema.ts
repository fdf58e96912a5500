// Types only, no I/O: the web UI imports them too (crd.ts, which reads the YAML file, stays on the server).

/** A JSON schema as Kubernetes structural schemas write it (a subset of OpenAPI v3 plus x-kubernetes-*). */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, StructuralSchema>;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-validations'?: CelRule[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [key: string]: unknown;
}

/** One CEL rule of x-kubernetes-validations. */
export interface CelRule {
  rule: string;
  message?: string;
  fieldPath?: string;
  reason?: string;
}
