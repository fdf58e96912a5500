import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The operator's Prometheus metrics, on a registry of its own (tests may run several operators). */
export class OperatorMetrics {
  readonly registry = new Registry();

  constructor() {
    // Process and Node.js runtime metrics (memory, heap, event loop lag), as every operator exports.
    collectDefaultMetrics({ register: this.registry });
  }

  readonly tenantsByPhase = new Gauge({
    name: 'landlord_tenants',
    help: 'Tenants by phase',
    labelNames: ['phase'],
    registers: [this.registry],
  });
  readonly provisioningDuration = new Histogram({
    name: 'tenant_provisioning_duration_seconds',
    help: "Time from a tenant's creation to its first Ready",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  readonly provisioningFailures = new Counter({
    name: 'tenant_provisioning_failures_total',
    help: 'Reconciles that left a tenant Failed',
    labelNames: ['tenant', 'reason'],
    registers: [this.registry],
  });
  readonly reconciles = new Counter({
    name: 'landlord_reconcile_total',
    help: 'Tenant reconciles by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'landlord_reconcile_errors_total',
    help: 'Tenant reconciles that failed and will be retried',
    registers: [this.registry],
  });
  readonly apiWrites = new Counter({
    name: 'landlord_api_writes_total',
    help: 'Writes the operator sent to the API server, by kind of write',
    labelNames: ['verb'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'landlord_workqueue_depth',
    help: 'Tenant keys waiting in the work queue',
    registers: [this.registry],
  });
  readonly quota = new Gauge({
    name: 'landlord_tenant_quota',
    help: 'Per-tenant ResourceQuota, summed over its namespaces (type: hard or used)',
    labelNames: ['tenant', 'resource', 'type'],
    registers: [this.registry],
  });
  readonly leaderElectionErrors = new Counter({
    name: 'landlord_leader_election_errors_total',
    help: 'Attempts to read or write the leader election Lease that failed, by reason (Forbidden, NotFound, ...)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly tenantNodes = new Gauge({
    name: 'landlord_tenant_nodes',
    help: "Nodes of a tenant's dedicated pool, by state (Ready, NotReady, Lost, Draining) and instance type",
    labelNames: ['tenant', 'state', 'instance_type'],
    registers: [this.registry],
  });
  readonly freeSpareNodes = new Gauge({
    name: 'landlord_spare_nodes_free',
    help: 'Spare nodes free to claim for a dedicated pool, by instance type',
    labelNames: ['instance_type'],
    registers: [this.registry],
  });
  /** 1 while a house's API server answers through its registration's credentials (the VClusterDown alert). */
  readonly houseUp = new Gauge({
    name: 'landlord_house_up',
    help: 'Whether the house (virtual cluster) of a tenant answers /version, 1 or 0',
    labelNames: ['tenant'],
    registers: [this.registry],
  });

  readonly isLeader = new Gauge({
    name: 'landlord_leader',
    help: '1 when this replica leads',
    registers: [this.registry],
  });
}
