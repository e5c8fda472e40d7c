import { useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { StylePreset, User } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { ErrorNotice, Loading } from '../components/Status';

const PRESETS: { value: StylePreset; label: string; description: string }[] = [
  { value: 'light', label: 'Light', description: 'White background, for screens.' },
  { value: 'dark', label: 'Dark', description: 'Dark background, easy on the eyes.' },
  { value: 'print', label: 'Print', description: 'High contrast, ink-friendly for PDFs.' },
  { value: 'team', label: 'Team', description: 'Lines in each driver’s team colour.' },
];

const ABBREVIATION = /^[A-Z]{3}$/;

export function PreferencesPage() {
  const { user } = useAuth();
  if (!user) {
    return (
      <main id="main" className="page narrow">
        <Loading label="Loading your preferences…" />
      </main>
    );
  }
  return (
    <main id="main" className="page narrow">
      <header className="page-header">
        <h1>Preferences</h1>
        <p className="lead">How your charts and reports look, and the drivers you follow.</p>
      </header>
      <PreferencesForm user={user} />
      <DeleteAccount />
    </main>
  );
}

function DeleteAccount() {
  const { deleteAccount } = useAuth();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!window.confirm('Delete your account and all your reports? This cannot be undone.')) return;
    setBusy(true);
    setError(null);
    try {
      await deleteAccount(password);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <details className="card danger-zone">
      <summary>Delete account</summary>
      <form onSubmit={submit}>
        <p className="muted">Your account, your preferences and every report you created are
          deleted for good.</p>
        <div className="row">
          <div className="field grow">
            <label htmlFor="delete-password">Confirm with your password</label>
            <input id="delete-password" type="password" autoComplete="current-password" required
              value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <button type="submit" className="button danger-solid" disabled={busy || !password}>
            {busy ? 'Deleting…' : 'Delete my account'}
          </button>
        </div>
        {error !== null && <ErrorNotice error={error} title="The account was not deleted" />}
      </form>
    </details>
  );
}

function PreferencesForm({ user }: { user: User }) {
  const { savePreferences } = useAuth();
  const [displayName, setDisplayName] = useState(user.display_name);
  const [style, setStyle] = useState<StylePreset>(user.preferences.plot_style ?? 'light');
  const [favourites, setFavourites] = useState<string[]>(user.preferences.favourite_drivers ?? []);
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState('');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);

  function addFavourite() {
    const code = draft.trim().toUpperCase();
    if (!ABBREVIATION.test(code)) {
      setDraftError('Use the three-letter driver code, e.g. NOR.');
      return;
    }
    if (favourites.includes(code)) {
      setDraftError(`${code} is already a favourite.`);
      return;
    }
    if (favourites.length >= 20) {
      setDraftError('Up to 20 favourites.');
      return;
    }
    setFavourites([...favourites, code]);
    setDraft('');
    setDraftError('');
    setSaved(false);
  }

  function onDraftKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      addFavourite();
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      await savePreferences(
        { plot_style: style, favourite_drivers: favourites },
        displayName.trim() && displayName.trim() !== user.display_name ? displayName.trim() : undefined,
      );
      setSaved(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  }

  return (
      <form className="card prefs" onSubmit={save} aria-label="Preferences">
        <div className="field">
          <label htmlFor="pref-name">Display name</label>
          <input id="pref-name" value={displayName} maxLength={80}
            onChange={(e) => { setDisplayName(e.target.value); setSaved(false); }} />
        </div>

        <fieldset className="preset-grid">
          <legend>Chart style</legend>
          {PRESETS.map((preset) => (
            <label key={preset.value} className={`preset preset-${preset.value} ${style === preset.value ? 'active' : ''}`}>
              <input type="radio" name="plot_style" value={preset.value}
                checked={style === preset.value}
                onChange={() => { setStyle(preset.value); setSaved(false); }} />
              <span className="preset-swatch" aria-hidden="true" />
              <span className="preset-name">{preset.label}</span>
              <span className="muted small">{preset.description}</span>
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>Favourite drivers</legend>
          <p className="hint">Favourites are picked first when you open a session and stand out in
            lap charts.</p>
          <ul className="chips" aria-label="Favourite drivers">
            {favourites.length === 0 && <li className="muted small">None yet.</li>}
            {favourites.map((code) => (
              <li key={code} className="chip">
                {code}
                <button type="button" aria-label={`Remove ${code}`}
                  onClick={() => { setFavourites(favourites.filter((f) => f !== code)); setSaved(false); }}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <div className="row">
            <div className="field grow">
              <label htmlFor="favourite-input">Driver code</label>
              <input id="favourite-input" value={draft} maxLength={3} placeholder="NOR"
                autoCapitalize="characters" aria-invalid={draftError ? true : undefined}
                aria-describedby={draftError ? 'favourite-error' : undefined}
                onChange={(e) => { setDraft(e.target.value); setDraftError(''); }}
                onKeyDown={onDraftKey} />
            </div>
            <button type="button" className="button secondary" onClick={addFavourite}>Add</button>
          </div>
          {draftError && <p id="favourite-error" className="error-text" role="alert">{draftError}</p>}
        </fieldset>

        {error !== null && <ErrorNotice error={error} title="Could not save your preferences" />}
        <div className="row">
          <button type="submit" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : 'Save preferences'}
          </button>
          {saved && <span className="saved" role="status">Saved.</span>}
        </div>
      </form>
  );
}
