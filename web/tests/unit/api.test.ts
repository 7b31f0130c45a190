import { describe, expect, it } from 'vitest';
import { Api, ApiError, type TokenStore } from '../../src/api';
import type { AuthSession } from '../../src/types';

function session(access: string, refresh: string): AuthSession {
  return { access_token: access, token_type: 'Bearer', expires_in: 900, refresh_token: refresh, user: { id: 'u', username: 'mira', roles: ['player'], created_at: '' } };
}

function memoryTokens(initial: AuthSession | null): TokenStore & { value: AuthSession | null } {
  const store = { value: initial, get: () => store.value, set: (s: AuthSession | null) => (store.value = s) };
  return store;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

function unexpected(): never {
  throw new Error('expected the request to fail');
}

describe('Api errors', () => {
  it('carries the server error code and message', async () => {
    const api = new Api({ tokens: memoryTokens(null), fetch: async () => json(409, { error: { code: 'conflict', message: 'that username is taken' } }) });
    const e = await api.post('/v1/auth/register', {}).then(unexpected, (x: ApiError) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([409, 'conflict', 'that username is taken']);
  });

  it('turns a body that is not the API error shape into a message from the status', async () => {
    const api = new Api({ tokens: memoryTokens(null), fetch: async () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    const e = await api.get('/v1/worlds').then(unexpected, (x: ApiError) => x);
    expect([e.status, e.code]).toEqual([502, 'http_502']);
    expect(e.message).toMatch(/try again/);
  });

  it('says how long to wait when rate limited', async () => {
    const api = new Api({ tokens: memoryTokens(null), fetch: async () => json(429, { error: { code: 'rate_limited', message: 'too many requests' } }, { 'Retry-After': '4' }) });
    const e = await api.get('/v1/worlds').then(unexpected, (x: ApiError) => x);
    expect(e.retryAfter).toBe(4);
    expect(e.message).toContain('4 s');
  });

  it('reports an unreachable server as offline, with what to do', async () => {
    const api = new Api({ tokens: memoryTokens(null), fetch: async () => { throw new TypeError('Failed to fetch'); } });
    const e = await api.get('/v1/worlds').then(unexpected, (x: ApiError) => x);
    expect([e.status, e.code]).toEqual([0, 'offline']);
    expect(e.message).toMatch(/connection/);
  });

  it('answers null from optional routes the server does not have, and still throws a 404 about a thing and other errors', async () => {
    const missing = new Api({ tokens: memoryTokens(null), fetch: async () => json(404, { error: { code: 'not_found', message: 'no route for /v1/me/progress' } }) });
    expect(await missing.optional('GET', '/v1/me/progress')).toBeNull();
    const none = new Api({ tokens: memoryTokens(null), fetch: async () => json(404, { error: { code: 'not_found', message: 'you have no safety plan yet' } }) });
    await expect(none.optional('GET', '/v1/me/safety-plan')).rejects.toMatchObject({ status: 404 });
    const broken = new Api({ tokens: memoryTokens(null), fetch: async () => json(500, { error: { code: 'internal', message: 'bug' } }) });
    await expect(broken.optional('GET', '/v1/me/progress')).rejects.toBeInstanceOf(ApiError);
  });
});

describe('Api tokens', () => {
  it('refreshes once on 401 and retries with the new access token', async () => {
    const tokens = memoryTokens(session('old', 'r1'));
    const seen: string[] = [];
    const api = new Api({
      tokens,
      fetch: async (url, init) => {
        const auth = (init!.headers as Record<string, string>).Authorization ?? '';
        seen.push(`${url} ${auth}`);
        if (url === '/v1/auth/refresh') return json(200, session('new', 'r2'));
        return auth === 'Bearer new' ? json(200, { id: 'u' }) : json(401, { error: { code: 'unauthenticated', message: 'expired' } });
      },
    });
    expect(await api.get('/v1/me')).toEqual({ id: 'u' });
    expect(seen).toEqual(['/v1/me Bearer old', '/v1/auth/refresh Bearer old', '/v1/me Bearer new']);
    expect(tokens.value?.refresh_token).toBe('r2');
  });

  it('uses a refresh token once even when several requests fail together', async () => {
    const tokens = memoryTokens(session('old', 'r1'));
    let refreshes = 0;
    const api = new Api({
      tokens,
      fetch: async (url, init) => {
        if (url === '/v1/auth/refresh') {
          refreshes += 1;
          return json(200, session('new', 'r2'));
        }
        const auth = (init!.headers as Record<string, string>).Authorization;
        return auth === 'Bearer new' ? json(200, {}) : json(401, { error: { code: 'unauthenticated', message: 'expired' } });
      },
    });
    await Promise.all([api.get('/a'), api.get('/b'), api.get('/c')]);
    expect(refreshes).toBe(1);
  });

  it('signs out when the refresh token is refused', async () => {
    const tokens = memoryTokens(session('old', 'r1'));
    let signedOut = false;
    const api = new Api({
      tokens,
      onSignedOut: () => (signedOut = true),
      fetch: async () => json(401, { error: { code: 'unauthenticated', message: 'no' } }),
    });
    const e = await api.get('/v1/me').then(unexpected, (x: ApiError) => x);
    expect(e.status).toBe(401);
    expect(signedOut).toBe(true);
    expect(tokens.value).toBeNull();
  });
});
