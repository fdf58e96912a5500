/** Signed out: one way in, through the directory's single sign-on. */
export function SignIn() {
  const returnTo = encodeURIComponent(window.location.pathname);
  return (
    <main className="sign-in" id="main">
      <h1>Landlord</h1>
      <p>Request and manage your team's environment on the shared cluster.</p>
      <a className="button" href={`/auth/login?returnTo=${returnTo}`}>
        Sign in with your company account
      </a>
    </main>
  );
}
