import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { buildAdmissionSettings } from '../platform/admission-settings.ts';
import { buildGuardrailBindings } from '../platform/guardrails.ts';
import { dedicatedNodesAnnotation } from '../tenancy/node-pool.ts';
import { deployObjects, operatorAccount } from './admission.ts';

interface Policy {
  kind: string;
  metadata: { name: string };
  spec: {
    failurePolicy?: string;
    paramKind?: object;
    paramRef?: object;
    policyName?: string;
    validationActions?: string[];
    matchConditions?: { name: string; expression: string }[];
    variables?: { name: string; expression: string }[];
    validations?: { expression: string; reason?: string; message?: string; messageExpression?: string }[];
  };
}

const objects = deployObjects('admission') as unknown as Policy[];
const policies = objects.filter((object) => object.kind === 'ValidatingAdmissionPolicy');
/** The YAML's bindings and the guardrails', written from the platform configuration. */
const bindings = [
  ...objects.filter((object) => object.kind === 'ValidatingAdmissionPolicyBinding'),
  ...(buildGuardrailBindings(defaultPlatformConfig) as unknown as Policy[]),
];
const operator = `system:serviceaccount:${operatorAccount.namespace}:${operatorAccount.name}`;
/** The policies that guard Landlord's objects from everyone but the operator: they share their first variables. */
const guards = ['landlord-managed-objects', 'landlord-argocd-objects', 'landlord-tenant-namespaces'];
const shared = ['user', 'breakGlass', 'sub', 'oldL', 'newL', 'oldA', 'newA', 'oldOwners', 'newOwners', 'gcOK', 'what'];

describe("Landlord's admission policies (deploy/admission)", () => {
  it('fail closed, each bound once under its own name, denying and auditing (break-glass: auditing only)', () => {
    assert.ok(policies.length >= 6, policies.map((policy) => policy.metadata.name).join(', '));
    for (const policy of policies) {
      const name = policy.metadata.name;
      assert.equal(policy.spec.failurePolicy, 'Fail', name);
      const bound = bindings.filter((binding) => binding.spec.policyName === name);
      assert.equal(bound.length, 1, `${name} is bound once`);
      const actions = name === 'landlord-break-glass' ? ['Audit'] : ['Deny', 'Audit'];
      assert.deepEqual(bound[0]?.spec.validationActions, actions, name);
      assert.equal(bound[0]?.metadata.name, name);
      assert.equal(Boolean(bound[0]?.spec.paramRef), Boolean(policy.spec.paramKind), `${name}: parameters`);
    }
    assert.equal(bindings.length, policies.length, 'no binding without its policy');
  });

  it('refuse with a message that names the object, and a fixed one if that fails, as Forbidden', () => {
    for (const policy of policies) {
      for (const validation of policy.spec.validations ?? []) {
        assert.equal(validation.reason, 'Forbidden', policy.metadata.name);
        assert.ok(validation.messageExpression && validation.message, policy.metadata.name);
      }
    }
  });

  it('name the operator by its ServiceAccount, the one the local environment runs it as', () => {
    for (const policy of policies) {
      for (const condition of policy.spec.matchConditions ?? []) {
        if (!condition.expression.includes('landlord-operator')) continue;
        assert.ok(condition.expression.includes(`'${operator}'`), `${policy.metadata.name}: ${condition.name}`);
      }
    }
  });

  it('keep the copies of their shared variables identical (a policy cannot import another’s)', () => {
    const variablesOf = (name: string) => {
      const variables = policies.find((policy) => policy.metadata.name === name)?.spec.variables ?? [];
      return shared.map((wanted) => variables.find((variable) => variable.name === wanted)?.expression);
    };
    const [first, ...others] = guards.map(variablesOf);
    assert.ok(first?.every((expression) => expression !== undefined));
    for (const [index, variables] of others.entries()) assert.deepEqual(variables, first, guards[index + 1]);
  });
});

describe('node placement (deploy/admission/node-placement.yaml, guard-node-placement.yaml)', () => {
  const mutating = objects.filter((object) => object.kind === 'MutatingAdmissionPolicy');
  const mutatingBindings = objects.filter((object) => object.kind === 'MutatingAdmissionPolicyBinding');
  const placement = mutating.find((policy) => policy.metadata.name === 'landlord-node-placement');
  const guard = policies.find((policy) => policy.metadata.name === 'landlord-guard-node-placement');
  const text = (object: unknown) => JSON.stringify(object);

  it('places pods by a mutating policy that fails closed, bound once to tenant namespaces with the settings', () => {
    assert.ok(placement, 'landlord-node-placement exists');
    assert.equal(placement.spec.failurePolicy, 'Fail');
    assert.deepEqual(
      mutatingBindings.map((binding) => binding.metadata.name),
      mutating.map((policy) => policy.metadata.name),
      'each mutating policy bound once under its own name',
    );
    const binding = mutatingBindings[0] as unknown as { spec: Record<string, unknown> };
    assert.deepEqual(binding.spec.paramRef, {
      name: 'landlord-admission',
      namespace: 'landlord-system',
      parameterNotFoundAction: 'Deny',
    });
    assert.deepEqual(binding.spec.matchResources, {
      namespaceSelector: { matchExpressions: [{ key: 'landlord.dev/team', operator: 'Exists' }] },
    });
  });

  it('reads the namespace in its patch, never in matchConditions (the API server gives them no namespaceObject)', () => {
    for (const policy of mutating) {
      for (const condition of policy.spec.matchConditions ?? [])
        assert.doesNotMatch(condition.expression, /namespaceObject/, `${policy.metadata.name}: ${condition.name}`);
    }
  });

  it("reads the operator's annotation and the settings the landlord-admission ConfigMap holds", () => {
    const settings = Object.keys(buildAdmissionSettings(defaultPlatformConfig).data as object);
    for (const policy of [placement, guard]) {
      assert.ok(policy);
      assert.ok(text(policy).includes(`'${dedicatedNodesAnnotation}'`), policy.metadata.name);
      const read = [...text(policy).matchAll(/params[^']*\[\??'([A-Za-z]+)'\]/g)].map((match) => match[1]);
      assert.ok(read.length >= 2, `${policy.metadata.name} reads ${read.join(', ')}`);
      for (const key of read) assert.ok(settings.includes(key ?? ''), `${policy.metadata.name} reads ${key}`);
    }
  });
});
