import { join } from 'node:path';
import { Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { loadSync, type MethodDefinition, type ServiceDefinition } from '@grpc/proto-loader';
import { type DexApiTarget, dexApiTargetProblem } from './dex-api-address.ts';

/** A client as Dex's API carries it (dex-api.proto, field names in camelCase). */
export interface DexWireClient {
  id: string;
  secret: string;
  redirectUris: string[];
  trustedPeers: string[];
  public: boolean;
  name: string;
}

/** The calls of dex-api.proto: request and response of each. */
interface DexCalls {
  GetClient: [{ id: string }, { client: DexWireClient | null }];
  CreateClient: [{ client: DexWireClient }, { alreadyExists: boolean; client: DexWireClient | null }];
  UpdateClient: [{ id: string; redirectUris: string[]; name: string }, { notFound: boolean }];
  DeleteClient: [{ id: string }, { notFound: boolean }];
}

/** A failed call to Dex's API: names the call, the client and Dex's address, never a secret. */
export class DexApiError extends Error {
  override name = 'DexApiError';
  /** The gRPC status code (status.UNAVAILABLE when Dex could not be reached). */
  readonly code: number;
  constructor(message: string, code: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

// Our own wire contract (not Dex's file): loaded once, field names in camelCase, absent fields as their defaults.
const service = loadSync(join(import.meta.dirname, 'dex-api.proto'), { defaults: true, arrays: true })[
  'api.Dex'
] as ServiceDefinition;

/** Dex's gRPC API over one channel (mutual TLS, or plain to loopback), each call bounded by a deadline. */
export class DexApiClient {
  readonly address: string;
  private readonly client: Client;
  private readonly deadlineMs: number;

  constructor(target: DexApiTarget, options: { deadlineMs?: number } = {}) {
    const problem = dexApiTargetProblem(target);
    if (problem) throw new DexApiError(problem, status.INVALID_ARGUMENT);
    this.address = target.address;
    this.deadlineMs = options.deadlineMs ?? 10_000;
    const channel = target.tls
      ? credentials.createSsl(target.tls.ca, target.tls.key, target.tls.cert)
      : credentials.createInsecure();
    // A Dex back after a restart is reached within seconds, not after gRPC's default two-minute backoff.
    this.client = new Client(target.address, channel, {
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 5_000,
    });
  }

  /** Makes one call; a failure becomes a DexApiError naming the call, `about` (the client ID) and the address. */
  call<Name extends keyof DexCalls>(name: Name, request: DexCalls[Name][0], about: string): Promise<DexCalls[Name][1]> {
    const method = service[name] as MethodDefinition<DexCalls[Name][0], DexCalls[Name][1]>;
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        new Metadata(),
        { deadline: Date.now() + this.deadlineMs },
        (error: ServiceError | null, response?: DexCalls[Name][1]) => {
          if (error) reject(this.failure(name, about, error));
          else if (response === undefined)
            reject(new DexApiError(`${this.what(name, about)}: no answer`, status.UNKNOWN));
          else resolve(response);
        },
      );
    });
  }

  /** Closes the channel. */
  close(): void {
    this.client.close();
  }

  private what(name: string, about: string): string {
    return `Dex API at ${this.address}: ${name} of OIDC client ${about}`;
  }

  // Dex's details name the failure (its storage's error, the TLS handshake's); our request, with the secret, is not in them.
  private failure(name: string, about: string, error: ServiceError): DexApiError {
    const code = status[error.code] ?? String(error.code);
    return new DexApiError(`${this.what(name, about)} failed: ${error.details || 'no details'} (${code})`, error.code, {
      cause: error,
    });
  }
}

/** Whether Dex answered GetClient with "no such client" (Dex v2.41 sends its storage's error as UNKNOWN "not found"). */
export function isClientNotFound(error: unknown): boolean {
  if (!(error instanceof DexApiError)) return false;
  const details = (error.cause as ServiceError | undefined)?.details ?? '';
  return error.code === status.NOT_FOUND || (error.code === status.UNKNOWN && details === 'not found');
}
