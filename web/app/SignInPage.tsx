/**
 * The sign-in page, shown instead of the app while the server wants a token and this tab has none (or the one it
 * had was refused). The token is checked with the server before the app opens; a refused one is said so here.
 */
import { useState } from 'react';
import { signIn } from '../api/session.js';

export function SignInPage({ reason }: { reason: string | null }) {
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const message = error ?? reason;

  const submit = async () => {
    setChecking(true);
    setError(null);
    try {
      await signIn(token);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setChecking(false);
    }
  };

  return (
    <section className="page sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Causeway</h1>
      <p className="muted">This server needs an access token. Ask whoever runs it for one (it is kept for this tab only).</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className={`field${message ? ' has-error' : ''}`}>
          <label htmlFor="sign-in-token">Access token</label>
          <input
            id="sign-in-token"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={token}
            aria-invalid={message ? true : undefined}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        {message ? (
          <p className="field-error" role="alert">
            {message}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={checking || token.trim() === ''}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
