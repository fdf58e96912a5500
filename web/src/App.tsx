import { useEffect, useState } from 'react';
import { loadSession, type SessionInfo, signOut } from './api.ts';
import { Link } from './components/Link.tsx';
import { useLiveTenants } from './live-tenants.ts';
import { RequestForm } from './pages/RequestForm.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { TenantList } from './pages/TenantList.tsx';
import { TenantPage } from './pages/TenantPage.tsx';
import { usePath } from './router.ts';

/** The portal: sign in, then my tenants, the request form and each tenant's page. */
export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  useEffect(() => {
    loadSession().then(
      (found) => setSession(found ?? null),
      () => setSession(null),
    );
  }, []);
  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null) return <SignIn />;
  return <SignedIn session={session} />;
}

const goHome = () => window.location.assign('/');

function SignedIn({ session }: { session: SessionInfo }) {
  const path = usePath();
  const { tenants, feed } = useLiveTenants();
  const tenantName = /^\/tenants\/([^/]+)$/.exec(path)?.[1];
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          Landlord
        </Link>
        <nav aria-label="Main">
          <Link to="/">My tenants</Link>
          <Link to="/request">Request a tenant</Link>
        </nav>
        <span className="who">
          {session.user.name} ({session.user.groups.join(', ') || 'no group'}){session.admin ? ' · platform admin' : ''}
        </span>
        {/* Home even when sign-out fails: the page then shows whether the server still holds the session. */}
        <button type="button" className="secondary" onClick={() => void signOut().then(goHome, goHome)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {path === '/request' ? (
          <RequestForm session={session} />
        ) : tenantName ? (
          <TenantPage
            name={decodeURIComponent(tenantName)}
            tenant={tenants.get(decodeURIComponent(tenantName))}
            feed={feed}
            session={session}
          />
        ) : (
          <TenantList tenants={[...tenants.values()]} feed={feed} />
        )}
      </main>
    </>
  );
}
