import type { Tenant } from '../api/tenant.ts';
import { canSee, isAdmin, type PortalPolicy } from './authorization.ts';
import { tenantListItem } from './tenant-summary.ts';
import type { TenantView } from './tenant-view.ts';
import type { PortalUser } from './user.ts';

/**
 * The answer to "list my tenants", made once per change and per set of groups instead of once per request:
 * everyone with the same groups sees the same list, and tenants change far less often than people look.
 */
export class TenantListCache {
  private readonly view: TenantView;
  private readonly policy: PortalPolicy;
  private readonly items = new Map<string, string>();
  private readonly answers = new Map<string, Buffer>();

  constructor(view: TenantView, policy: PortalPolicy) {
    this.view = view;
    this.policy = policy;
    view.subscribe((change) => {
      // Usage moves with every pod; the list items hold no usage, so it leaves them be.
      if (change.quotaOnly) return;
      this.items.delete(change.name);
      this.answers.clear();
    });
  }

  /** The JSON body of GET /api/v1/tenants for this user: the tenants they can see, by name. */
  answerFor(user: PortalUser): Buffer {
    // What decides visibility, and nothing else: admins see all; the others, their groups' tenants.
    const key = isAdmin(user, this.policy) ? '*' : user.groups.toSorted().join('\n');
    let answer = this.answers.get(key);
    if (!answer) {
      const visible = this.view.list().filter((tenant) => canSee(user, tenant, this.policy));
      visible.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
      answer = Buffer.from(`{"items":[${visible.map((tenant) => this.itemJson(tenant)).join(',')}]}`);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private itemJson(tenant: Tenant): string {
    const name = tenant.metadata.name;
    let text = this.items.get(name);
    if (text === undefined) {
      text = JSON.stringify(tenantListItem(tenant));
      this.items.set(name, text);
    }
    return text;
  }
}
