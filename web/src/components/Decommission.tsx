import { type FormEvent, useState } from 'react';
import { decommission, type TenantSummary } from '../api.ts';

/** Decommission, confirmed by typing the tenant's name: everything of the tenant is deleted. */
export function Decommission({ tenant }: { tenant: TenantSummary }) {
  const [confirm, setConfirm] = useState('');
  const [message, setMessage] = useState<{ text: string; problem: boolean } | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await decommission(tenant.name, confirm);
      setMessage({ text: `Decommissioning ${tenant.name}…`, problem: false });
    } catch (error) {
      setMessage({ text: (error as Error).message, problem: true });
    }
  };
  if (tenant.terminating) return <p role="status">Being decommissioned.</p>;
  return (
    <section aria-labelledby="decommission-title" className="danger-zone">
      <h2 id="decommission-title">Decommission</h2>
      <p>Deletes the namespaces and everything in them, the Argo CD project and applications. This cannot be undone.</p>
      {/* submit() catches its own errors and shows them: it never rejects. */}
      <form onSubmit={(event) => void submit(event)}>
        <label htmlFor="confirm">Type {tenant.name} to confirm</label>
        <input id="confirm" value={confirm} onChange={(event) => setConfirm(event.target.value)} autoComplete="off" />
        <button type="submit" className="danger" disabled={confirm !== tenant.name}>
          Decommission {tenant.name}
        </button>
      </form>
      {message ? (
        <p className={message.problem ? 'problem' : ''} role={message.problem ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
