import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { AuthPage } from './pages/AuthPage';
import { ComparePage } from './pages/ComparePage';
import { ConversationsPage } from './pages/ConversationsPage';
import { ExplorePage } from './pages/ExplorePage';
import { PreferencesPage } from './pages/PreferencesPage';
import { ReportsPage } from './pages/ReportsPage';
import { SessionPage } from './pages/SessionPage';

function RequireAuth({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  const location = useLocation();
  // While stored tokens are being checked the page already loads its data: a stale token
  // is refreshed or ends in 'signed-out' (and back to the login page) on the first 401.
  if (status === 'signed-out') {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

function OnlySignedOut({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  return status === 'signed-in' ? <Navigate to="/" replace /> : <>{children}</>;
}

function Header() {
  const { user, status, logout } = useAuth();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">Skip to content</a>
      <NavLink to="/" className="brand" aria-label="Pitwall home">
        <span className="brand-mark" aria-hidden="true">P</span>
        <span className="brand-name">Pitwall</span>
      </NavLink>
      {status === 'signed-in' && (
        <>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>Explore</NavLink>
            <NavLink to="/reports">My reports</NavLink>
            <NavLink to="/conversations">Conversations</NavLink>
            <NavLink to="/preferences">Preferences</NavLink>
          </nav>
          <div className="user-menu">
            <span className="user-name" title={user?.email}>{user?.display_name}</span>
            <button type="button" className="button ghost small" onClick={() => void logout()}>
              Log out
            </button>
          </div>
        </>
      )}
    </header>
  );
}

/** The chart style preset also themes the app, so what you see matches your reports. */
function ThemeFromPreferences() {
  const { user } = useAuth();
  const style = user?.preferences.plot_style ?? 'light';
  useEffect(() => {
    document.documentElement.dataset.theme = style === 'dark' ? 'dark' : 'light';
    document.documentElement.dataset.chartStyle = style;
  }, [style]);
  return null;
}

export function AppRoutes() {
  return (
    <>
      <ThemeFromPreferences />
      <Header />
      <Routes>
        <Route path="/login" element={<OnlySignedOut><AuthPage mode="login" /></OnlySignedOut>} />
        <Route path="/register" element={<OnlySignedOut><AuthPage mode="register" /></OnlySignedOut>} />
        <Route path="/" element={<RequireAuth><ExplorePage /></RequireAuth>} />
        <Route path="/sessions/:year/:event/:session" element={<RequireAuth><SessionPage /></RequireAuth>} />
        <Route path="/sessions/:year/:event/:session/compare" element={<RequireAuth><ComparePage /></RequireAuth>} />
        <Route path="/reports" element={<RequireAuth><ReportsPage /></RequireAuth>} />
        <Route path="/conversations" element={<RequireAuth><ConversationsPage /></RequireAuth>} />
        <Route path="/preferences" element={<RequireAuth><PreferencesPage /></RequireAuth>} />
        <Route path="*" element={
          <main id="main" className="page"><h1>Page not found</h1>
            <p><NavLink to="/">Back to Explore</NavLink></p></main>
        } />
      </Routes>
    </>
  );
}

export function App() {
  return (
    <AuthProvider>
      <AppRoutes />
    </AuthProvider>
  );
}
