import { errorAbout, KubeApiError } from './api-error.ts';
import { groupVersionPath, type ResourceType } from './api-path.ts';
import type { KubeHttp } from './http.ts';

/** Where a kind lives in the API: its collection path and whether it is namespaced. */
export type ResourceInfo = ResourceType;

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** Maps apiVersion + kind to API paths, from the API server's discovery documents (cached per group version). */
export class Discovery {
  private readonly http: KubeHttp;
  private readonly cache = new Map<string, Promise<ApiResourceList>>();

  constructor(http: KubeHttp) {
    this.http = http;
  }

  /**
   * The resource of a kind; throws when the API server does not serve it (a CRD not installed, say), or when
   * discovery itself fails, keeping the API server's error (status, reason, message) as the cause.
   */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const list = await this.groupVersion(apiVersion);
    const found = list.resources.find((resource) => resource.kind === kind && !resource.name.includes('/'));
    if (!found) {
      this.cache.delete(apiVersion);
      throw new Error(`the API server does not serve ${kind} in ${apiVersion} (is its CRD installed?)`);
    }
    return { apiVersion, kind, plural: found.name, namespaced: found.namespaced };
  }

  /** Forgets what was learned, after CRDs are installed or removed. */
  reset(): void {
    this.cache.clear();
  }

  private groupVersion(apiVersion: string): Promise<ApiResourceList> {
    let list = this.cache.get(apiVersion);
    if (!list) {
      list = this.http
        .request<ApiResourceList>({ method: 'GET', path: groupVersionPath(apiVersion) })
        .catch((error: unknown) => {
          this.cache.delete(apiVersion);
          throw notServed(apiVersion, error);
        });
      this.cache.set(apiVersion, list);
    }
    return list;
  }
}

/** A group version that cannot be discovered: a 404 means it is not served at all; anything else is kept. */
function notServed(apiVersion: string, error: unknown): Error {
  if (error instanceof KubeApiError && error.status === 404) {
    const message = `the API server does not serve ${apiVersion} (is its CRD installed?)`;
    return new KubeApiError(error.status, error.reason, message, error.details, { cause: error });
  }
  return errorAbout(`discover ${apiVersion}`, error);
}
