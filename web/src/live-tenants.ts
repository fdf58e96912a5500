import { useEffect, useState } from 'react';
import type { TenantSummary } from './api.ts';

/** Whether the live feed is connected; EventSource reconnects by itself after a drop. */
export type FeedState = 'connecting' | 'live' | 'reconnecting';

/** The user's tenants, kept current by the portal's event stream: no reloading, no polling. */
export function useLiveTenants(): { tenants: Map<string, TenantSummary>; feed: FeedState } {
  const [tenants, setTenants] = useState(new Map<string, TenantSummary>());
  const [feed, setFeed] = useState<FeedState>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    source.addEventListener('open', () => setFeed('live'));
    source.addEventListener('error', () => setFeed('reconnecting'));
    source.addEventListener('snapshot', (event) => {
      const { items } = JSON.parse((event as MessageEvent<string>).data) as { items: TenantSummary[] };
      setTenants(new Map(items.map((item) => [item.name, item])));
    });
    source.addEventListener('tenant', (event) => {
      const tenant = JSON.parse((event as MessageEvent<string>).data) as TenantSummary;
      setTenants((current) => new Map(current).set(tenant.name, tenant));
    });
    source.addEventListener('deleted', (event) => {
      const { name } = JSON.parse((event as MessageEvent<string>).data) as { name: string };
      setTenants((current) => {
        const next = new Map(current);
        next.delete(name);
        return next;
      });
    });
    return () => source.close();
  }, []);
  return { tenants, feed };
}
