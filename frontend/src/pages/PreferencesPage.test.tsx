import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PreferencesPage } from './PreferencesPage';
import { USER, fakeServer, problemReply, signIn } from '../test/fakeServer';
import { renderAt } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

describe('PreferencesPage', () => {
  it('edits style and favourites and saves only what the API accepts', async () => {
    signIn();
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': { body: { ...USER, preferences: { plot_style: 'light', favourite_drivers: ['VER'] } } },
      'PATCH /api/v1/auth/me': ({ body }) => ({
        body: { ...USER, preferences: (body as { preferences: unknown }).preferences },
      }),
    });
    renderAt('/preferences', [{ path: '/preferences', element: <PreferencesPage /> }]);
    const favourites = await screen.findByRole('list', { name: 'Favourite drivers' });
    expect(within(favourites).getByText('VER')).toBeInTheDocument();

    const input = screen.getByLabelText('Driver code');
    await userEvent.type(input, 'no{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('three-letter driver code');
    await userEvent.clear(input);
    await userEvent.type(input, 'nor{Enter}');
    await userEvent.click(screen.getByRole('button', { name: 'Remove VER' }));
    await userEvent.click(screen.getByLabelText(/Dark/));
    await userEvent.click(screen.getByRole('button', { name: 'Save preferences' }));

    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({ preferences: { plot_style: 'dark', favourite_drivers: ['NOR'] } });
  });

  it('shows a rejected save in the server’s words', async () => {
    signIn();
    fakeServer({
      'GET /api/v1/auth/me': { body: USER },
      'PATCH /api/v1/auth/me': problemReply(422, 'favourite_drivers: at most 20 drivers', 'Unprocessable Content'),
    });
    renderAt('/preferences', [{ path: '/preferences', element: <PreferencesPage /> }]);
    await userEvent.click(await screen.findByRole('button', { name: 'Save preferences' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('favourite_drivers: at most 20 drivers');
  });
});
