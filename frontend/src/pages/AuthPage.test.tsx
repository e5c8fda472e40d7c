import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthPage } from './AuthPage';
import { USER, fakeServer, problemReply } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

const routes = [
  { path: '/login', element: <AuthPage mode="login" /> },
  { path: '/register', element: <AuthPage mode="register" /> },
  { path: '/', element: <p>home</p> },
];

describe('AuthPage', () => {
  it('shows the server’s problem detail when the login is refused', async () => {
    fakeServer({ 'POST /api/v1/auth/login': problemReply(401, 'Wrong email or password', 'Unauthorized') });
    renderAt('/login', routes);
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'not-the-password');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Wrong email or password');
    expect(alert).toHaveTextContent('req-123');
    expect(localStorage.getItem('pitwall.session')).toBeNull();
  });

  it('registers, logs in with the same credentials and goes home', async () => {
    const { calls } = fakeServer({
      'POST /api/v1/auth/register': { status: 201, body: USER },
      'POST /api/v1/auth/login': { body: { access_token: 'a1', refresh_token: 'r1', expires_in: 900 } },
      'GET /api/v1/auth/me': { body: USER },
    });
    renderAt('/register', routes);
    await userEvent.type(screen.getByLabelText('Display name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('home')).toBeInTheDocument();
    expect(calls[0]).toMatchObject({
      path: '/api/v1/auth/register',
      body: { email: 'ada@example.com', password: 'correct horse battery', display_name: 'Ada' },
    });
    expect(calls.find((c) => c.path === '/api/v1/auth/me')?.authorization).toBe('Bearer a1');
    expect(JSON.parse(localStorage.getItem('pitwall.session')!)).toEqual({ access: 'a1', refresh: 'r1' });
  });
});
