import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { auth } from '../api/endpoints';
import { setTokenStore } from '../api/http';
import type { Preferences, TokenPair, User } from '../api/types';

const STORAGE_KEY = 'pitwall.session';

interface StoredTokens {
  access: string;
  refresh: string | null;
}

function readTokens(): StoredTokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as StoredTokens) : null;
  } catch {
    return null;
  }
}

function writeTokens(tokens: StoredTokens | null): void {
  if (tokens) localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  else localStorage.removeItem(STORAGE_KEY);
}

type Status = 'checking' | 'signed-in' | 'signed-out';

interface AuthValue {
  status: Status;
  user: User | null;
  login(email: string, password: string): Promise<void>;
  register(email: string, password: string, displayName: string): Promise<void>;
  logout(): Promise<void>;
  savePreferences(preferences: Partial<Preferences>, displayName?: string): Promise<User>;
  deleteAccount(password: string): Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

// One refresh at a time: parallel 401s must not each rotate (and so revoke) the refresh token.
let refreshing: Promise<string | null> | null = null;

function refreshOnce(onSignedOut: () => void): Promise<string | null> {
  if (!refreshing) {
    refreshing = (async () => {
      const stored = readTokens();
      if (!stored?.refresh) {
        writeTokens(null);
        onSignedOut();
        return null;
      }
      try {
        const pair = await auth.refresh(stored.refresh);
        writeTokens({ access: pair.access_token, refresh: pair.refresh_token ?? stored.refresh });
        return pair.access_token;
      } catch {
        writeTokens(null);
        onSignedOut();
        return null;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

// Installed when this module loads, not in an effect: pages start their requests in their own
// effects, which React runs before this provider's, and those must already carry the token.
let notifySignedOut: () => void = () => {};
setTokenStore({
  accessToken: () => readTokens()?.access ?? null,
  refresh: () => refreshOnce(() => notifySignedOut()),
});

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [status, setStatus] = useState<Status>(() => (readTokens() ? 'checking' : 'signed-out'));

  const signedOut = useCallback(() => {
    setUser(null);
    setStatus('signed-out');
  }, []);

  useEffect(() => {
    notifySignedOut = signedOut;
  }, [signedOut]);

  useEffect(() => {
    if (status !== 'checking') return;
    let cancelled = false;
    auth
      .me()
      .then((me) => {
        if (cancelled) return;
        setUser(me);
        setStatus('signed-in');
      })
      .catch(() => {
        if (cancelled) return;
        writeTokens(null);
        signedOut();
      });
    return () => {
      cancelled = true;
    };
  }, [status, signedOut]);

  const adopt = useCallback(async (pair: TokenPair) => {
    writeTokens({ access: pair.access_token, refresh: pair.refresh_token ?? null });
    const me = await auth.me();
    setUser(me);
    setStatus('signed-in');
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      status,
      user,
      login: async (email, password) => adopt(await auth.login({ email, password })),
      register: async (email, password, displayName) => {
        await auth.register({ email, password, display_name: displayName });
        await adopt(await auth.login({ email, password }));
      },
      logout: async () => {
        const stored = readTokens();
        try {
          await auth.logout(stored?.refresh ?? null);
        } catch {
          // Leaving must always work locally, even if the server could not be told.
        }
        writeTokens(null);
        signedOut();
      },
      deleteAccount: async (password) => {
        await auth.deleteAccount(password);
        writeTokens(null);
        signedOut();
      },
      savePreferences: async (preferences, displayName) => {
        const updated = await auth.updateMe({ preferences, display_name: displayName });
        setUser(updated);
        return updated;
      },
    }),
    [status, user, adopt, signedOut],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
