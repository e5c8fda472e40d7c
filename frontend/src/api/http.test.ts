import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setTokenStore, withQuery } from './http';
import { fakeServer, problemReply } from '../test/fakeServer';

/** The ApiError a request failed with (the test fails if it succeeded). */
async function failure(pending: Promise<unknown>): Promise<ApiError> {
  try {
    await pending;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the request to fail');
}

afterEach(() => {
  setTokenStore(null);
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('turns a problem+json answer into an ApiError carrying the detail and request id', async () => {
    fakeServer({
      'GET /api/v1/telemetry/sessions/2024/Nowhere/Q': problemReply(
        404, "No event called 'Nowhere' in 2024", 'Not Found',
      ),
    });
    const error = await failure(request('/api/v1/telemetry/sessions/2024/Nowhere/Q'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(404);
    expect(error.message).toBe("No event called 'Nowhere' in 2024");
    expect(error.requestId).toBe('req-123');
  });

  it('explains a failure that is not problem+json by its status', async () => {
    fakeServer({ 'GET /api/v1/x': { status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' } });
    const error = await failure(request('/api/v1/x'));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/server had a problem/);
  });

  it('reports an unreachable server as a network error', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const error = await failure(request('/api/v1/x'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/could not be reached/);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    let current = 'old';
    const { calls } = fakeServer({
      'GET /api/v1/auth/me': ({ headers }) =>
        headers.get('Authorization') === 'Bearer new'
          ? { body: { id: 'u1' } }
          : problemReply(401, 'Token expired'),
    });
    const refresh = vi.fn(async () => { current = 'new'; return current; });
    setTokenStore({ accessToken: () => current, refresh });
    await expect(request('/api/v1/auth/me')).resolves.toEqual({ id: 'u1' });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up with the 401 when no refresh is possible', async () => {
    fakeServer({ 'GET /api/v1/auth/me': problemReply(401, 'Token expired') });
    setTokenStore({ accessToken: () => 'old', refresh: async () => null });
    await expect(request('/api/v1/auth/me')).rejects.toMatchObject({ status: 401, message: 'Token expired' });
  });
});

describe('withQuery', () => {
  it('skips empty values and joins lists', () => {
    expect(withQuery('/p', { a: 'NOR', b: undefined, c: '', channels: ['speed', 'x'], n: 5 })).toBe(
      '/p?a=NOR&channels=speed%2Cx&n=5',
    );
  });
});

describe('dispositionFilename', () => {
  it('reads the plain and the RFC 5987 file name, preferring the latter', async () => {
    const { dispositionFilename } = await import('./http');
    expect(dispositionFilename('attachment; filename="laps.csv"')).toBe('laps.csv');
    expect(dispositionFilename('attachment; filename=laps.csv')).toBe('laps.csv');
    expect(dispositionFilename("attachment; filename=\"x.csv\"; filename*=UTF-8''S%C3%A3o-Paulo.csv")).toBe('São-Paulo.csv');
    expect(dispositionFilename(null)).toBeNull();
    expect(dispositionFilename('inline')).toBeNull();
  });
});
