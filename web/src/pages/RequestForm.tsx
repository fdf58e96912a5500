import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  type HousesAnswer,
  loadHouses,
  loadSpecSchema,
  type SessionInfo,
  type SpecSchema,
  submitRequest,
  validateRequest,
} from '../api.ts';
import { Choice, Services, TextInput } from '../components/FormInputs.tsx';
import { describedBy, Field } from '../components/Field.tsx';
import { freeNodesHint, ShortageWarning, useFreeNodes } from '../components/FreeNodes.tsx';
import { allowedInWords } from '../../../src/api/allowed-in-words.ts';
import {
  type FormKit,
  initialValues,
  isHouse,
  isolationOptions,
  problemsByInput,
  refusalProblems,
  type RequestFormValues,
  requestBody,
} from '../request-form-model.ts';
import { navigate } from '../router.ts';

type Values = RequestFormValues;

/** A phrase of the schema's words as the start of a sentence. */
const sentence = (phrase: string) => phrase.charAt(0).toUpperCase() + phrase.slice(1);

/** The request form, once the schema the API server enforces is here: its choices, limits and defaults. */
export function RequestForm({ session }: { session: SessionInfo }) {
  const schema = useSpecSchema();
  const houses = useHouses();
  if (schema === undefined || houses === 'loading') return <p className="loading">Loading the form…</p>;
  if (schema instanceof Error) {
    return (
      <p className="summary problem" role="alert">
        The form cannot load the Tenant schema: {schema.message}
      </p>
    );
  }
  return <SchemaForm session={session} spec={schema} houses={houses} />;
}

/** The article's fields, checked as you type against the schema the API server enforces. */
function SchemaForm({ session, spec, houses }: { session: SessionInfo; spec: SpecSchema; houses?: HousesAnswer }) {
  const { kit, setProblems, touchAll } = useFormKit(session, spec, houses);
  const [submitting, setSubmitting] = useState(false);
  const [proposed, setProposed] = useState<string | undefined>(undefined);
  const summaryBox = useRef<HTMLDivElement>(null);
  useInlineValidation(kit.values, setProblems);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    touchAll();
    setSubmitting(true);
    try {
      // Checked first, so a refused request shows its fields without the API answering with an error.
      const verdict = await validateRequest(requestBody(kit.values));
      if (!verdict.valid) throw new ApiError(422, verdict.message ?? 'invalid request', verdict.fields);
      const { name, review } = await submitRequest(requestBody(kit.values));
      // A request above the review threshold is not a tenant yet: say where it waits instead of opening its page.
      if (review)
        setProposed(
          `${name} awaits a platform admin's review on ${review.pullRequest ?? review.branch}: ${review.reasons.join('; ')}`,
        );
      else navigate(`/tenants/${encodeURIComponent(name)}`);
    } catch (error) {
      const fields = error instanceof ApiError ? error.fields : [];
      setProblems(refusalProblems(fields, (error as Error).message));
      summaryBox.current?.focus();
    } finally {
      setSubmitting(false);
    }
  };
  const fields = spec.properties ?? {};
  const refusal = kit.shown('form');
  return (
    <section aria-labelledby="request-title">
      <h1 id="request-title">Request a tenant</h1>
      <div ref={summaryBox} tabIndex={-1} className={refusal ? 'summary problem' : 'summary'} role="alert">
        {/* Text right in the box, no paragraph: the ⚠ of .problem::before sits on its line, not one of its own. */}
        {refusal ? `The request was refused: ${refusal}` : (proposed ?? null)}
      </div>
      {/* submit() catches its own errors and shows them: it never rejects. */}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TeamFields kit={kit} session={session} spec={spec} houses={houses} />
        <fieldset>
          <legend>Quotas</legend>
          <TextInput kit={kit} name="cpu" label="CPU (cores requested)" hint="A Kubernetes quantity: 4, 500m." />
          <TextInput kit={kit} name="memory" label="Memory" hint="A Kubernetes quantity: 8Gi, 512Mi." />
          <TextInput kit={kit} name="storage" label="Storage" hint="A Kubernetes quantity: 100Gi, 1Ti." />
        </fieldset>
        <NodeFields kit={kit} pool={fields.nodePool} />
        <Services
          schema={fields.services}
          values={kit.values.services}
          onChange={(services) => kit.set('services', services)}
        />
        <button type="submit" disabled={submitting}>
          {submitting ? 'Requesting…' : 'Request tenant'}
        </button>
      </form>
    </section>
  );
}

function useFormKit(session: SessionInfo, spec: SpecSchema, houses?: HousesAnswer) {
  const [values, setValues] = useState<Values>(() => initialValues(session, spec, houses));
  const [touched, setTouched] = useState(new Set<string>());
  const [problems, setProblems] = useState<Record<string, string>>({});
  const touch = (key: string) => setTouched((current) => new Set(current).add(key));
  const kit: FormKit = {
    values,
    set: (key, value) => {
      setValues((current) => ({ ...current, [key]: value }));
      touch(key);
    },
    touch,
    shown: (key) => (touched.has(key) || touched.has('*') ? problems[key] : undefined),
  };
  return { kit, setProblems, touchAll: () => touch('*') };
}

/** The spec's schema from the portal: undefined while it loads, the Error if it cannot. */
function useSpecSchema(): SpecSchema | Error | undefined {
  const [schema, setSchema] = useState<SpecSchema | Error | undefined>(undefined);
  useEffect(() => {
    loadSpecSchema().then(
      ({ spec }) => setSchema(spec),
      (error: unknown) => setSchema(error instanceof Error ? error : new Error(String(error))),
    );
  }, []);
  return schema;
}

/** The houses the platform offers: 'loading', then the answer (undefined when it cannot say: none offered). */
function useHouses(): HousesAnswer | undefined | 'loading' {
  const [houses, setHouses] = useState<HousesAnswer | undefined | 'loading'>('loading');
  useEffect(() => {
    loadHouses().then(setHouses, () => setHouses(undefined));
  }, []);
  return houses;
}

/** Checks the form against the API (a dry run) shortly after each change. */
function useInlineValidation(values: Values, setProblems: (problems: Record<string, string>) => void) {
  useEffect(() => {
    const timer = setTimeout(() => {
      validateRequest(requestBody(values)).then(
        (verdict) => setProblems(problemsByInput(verdict.fields ?? [])),
        () => setProblems({}),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [values, setProblems]);
}

function TeamFields(props: { kit: FormKit; session: SessionInfo; spec: SpecSchema; houses?: HousesAnswer }) {
  const { kit, session, spec, houses } = props;
  const { teamName, isolation } = spec.properties ?? {};
  return (
    <fieldset>
      <legend>Team</legend>
      <TextInput
        kit={kit}
        name="teamName"
        label="Team name"
        hint={teamName ? `${sentence(allowedInWords(teamName))}; names the namespace.` : undefined}
      />
      <TextInput kit={kit} name="ownerEmail" label="Owner email" hint="Notifications go there." type="email" />
      <TextInput kit={kit} name="costCenter" label="Cost centre" hint="Such as CC-12345; usage is charged to it." />
      <GroupSelect kit={kit} session={session} />
      <Choice
        kit={kit}
        name="isolation"
        label="Isolation"
        options={isolationOptions(spec, houses)}
        hint={isolation?.description}
      />
      {isHouse(kit.values) && houses ? <KubernetesVersion kit={kit} houses={houses} /> : null}
    </fieldset>
  );
}

/** A house's Kubernetes version: the minors the platform serves, each with the patch release it runs. */
function KubernetesVersion({ kit, houses }: { kit: FormKit; houses: HousesAnswer }) {
  const release = houses.kubernetesVersions.find((version) => version.minor === kit.values.kubernetesVersion)?.release;
  const hint =
    `${release ? `Runs ${release}. ` : ''}A house has its own API server at this version; ` +
    'it can later go up one minor version at a time, never down.';
  return (
    <Choice
      kit={kit}
      name="kubernetesVersion"
      label="Kubernetes version"
      options={houses.kubernetesVersions.map((version) => version.minor)}
      hint={hint}
    />
  );
}

function NodeFields({ kit, pool }: { kit: FormKit; pool?: SpecSchema }) {
  const size = pool?.properties?.size;
  const free = useFreeNodes();
  return (
    <fieldset>
      <legend>Nodes</legend>
      <div className="check">
        <input
          id="dedicatedNodes"
          type="checkbox"
          checked={kit.values.dedicatedNodes}
          onChange={(event) => kit.set('dedicatedNodes', event.target.checked)}
        />
        <label htmlFor="dedicatedNodes">Dedicated node pool (otherwise shared nodes)</label>
      </div>
      {kit.values.dedicatedNodes ? (
        <>
          <TextInput
            kit={kit}
            name="nodePoolSize"
            label="Node pool size"
            hint={size ? `${sentence(allowedInWords(size))} nodes.` : undefined}
            type="number"
          />
          <Choice
            kit={kit}
            name="instanceType"
            label="Node type"
            options={(pool?.properties?.instanceType?.enum ?? []).map(String)}
            hint={freeNodesHint(free)}
          />
          <ShortageWarning free={free} instanceType={kit.values.instanceType} size={kit.values.nodePoolSize} />
        </>
      ) : null}
    </fieldset>
  );
}

/** Members pick one of their groups; admins may name any. */
function GroupSelect({ kit, session }: { kit: FormKit; session: SessionInfo }) {
  const hint = 'The directory group whose members run the tenant.';
  if (!session.admin) {
    return <Choice kit={kit} name="adGroup" label="Directory group" options={session.user.groups} hint={hint} />;
  }
  const problem = kit.shown('adGroup');
  return (
    <Field id="adGroup" label="Directory group" hint={hint} problem={problem}>
      <input
        id="adGroup"
        value={kit.values.adGroup}
        onChange={(event) => kit.set('adGroup', event.target.value)}
        {...describedBy('adGroup', problem, hint)}
      />
    </Field>
  );
}
