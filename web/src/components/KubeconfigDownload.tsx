import { useState } from 'react';
import { downloadKubeconfig, type TenantSummary } from '../api.ts';

/**
 * Downloads a kubeconfig (a short-lived token of the person's own identity, never shown on the page) and says how to
 * use it: in the tenant's namespace, or for a house inside it (context vcluster-<team>).
 */
export function KubeconfigDownload({ tenant }: { tenant: TenantSummary }) {
  const [state, setState] = useState<{ expiresAt?: string; error?: string }>({});
  const ready = tenant.status.phase === 'Ready';
  const house = tenant.isolation === 'vcluster';
  const file = `${tenant.name}-kubeconfig.yaml`;
  const download = async () => {
    try {
      const { file: blob, expiresAt } = await downloadKubeconfig(tenant.name);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked once the browser has started the download, not before.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ expiresAt });
    } catch (error) {
      setState({ error: (error as Error).message });
    }
  };
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">Connect with kubectl</h2>
      {/* download() catches its own errors and shows them: it never rejects. */}
      <button type="button" onClick={() => void download()} disabled={!ready}>
        Download kubeconfig
      </button>
      {!ready ? <p className="hint">Available once the tenant is Ready.</p> : null}
      {state.expiresAt ? (
        <p role="status">
          Downloaded {file}; its token expires at {new Date(state.expiresAt).toLocaleString()}.
        </p>
      ) : null}
      {state.error ? (
        <p className="problem" role="alert">
          {state.error}
        </p>
      ) : null}
      <pre className="instructions">
        <code>
          {house
            ? `export KUBECONFIG=~/Downloads/${file}\nkubectl get namespaces   # context vcluster-${tenant.teamName}`
            : `export KUBECONFIG=~/Downloads/${file}\nkubectl get pods -n ${tenant.teamName}`}
        </code>
      </pre>
    </section>
  );
}
