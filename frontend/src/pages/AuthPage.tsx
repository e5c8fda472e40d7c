import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { ErrorNotice } from '../components/Status';

type Mode = 'login' | 'register';

export function AuthPage({ mode }: { mode: Mode }) {
  const { login, register } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await login(email.trim(), password);
      else await register(email.trim(), password, displayName.trim());
      navigate(from, { replace: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const registering = mode === 'register';
  return (
    <div className="auth-layout">
      <section className="auth-hero" aria-hidden="true">
        <div className="brand-mark large">P</div>
        <h2>Every lap, corner by corner.</h2>
        <p>Compare drivers on one distance grid, read insights written from the numbers, and
          take a PDF report away.</p>
      </section>
      <main id="main" className="card auth-card">
        <h1>{registering ? 'Create your account' : 'Log in to Pitwall'}</h1>
        <form onSubmit={submit} noValidate={false} aria-describedby={error ? 'auth-error' : undefined}>
          {registering && (
            <div className="field">
              <label htmlFor="display-name">Display name</label>
              <input
                id="display-name"
                name="display_name"
                autoComplete="nickname"
                required
                maxLength={80}
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete={registering ? 'new-password' : 'current-password'}
              required
              minLength={registering ? 10 : undefined}
              aria-describedby={registering ? 'password-hint' : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {registering && (
              <p id="password-hint" className="hint">At least 10 characters, with two of: lower-case, upper-case,
                digits, symbols.</p>
            )}
          </div>
          {error !== null && (
            <div id="auth-error">
              <ErrorNotice
                error={error}
                title={registering ? 'Could not create the account' : 'Could not log in'}
              />
            </div>
          )}
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? 'Please wait…' : registering ? 'Create account' : 'Log in'}
          </button>
        </form>
        <p className="switch-mode">
          {registering ? (
            <>Already have an account? <Link to="/login">Log in</Link></>
          ) : (
            <>New here? <Link to="/register">Create an account</Link></>
          )}
        </p>
      </main>
    </div>
  );
}
