// The API client: JSON over fetch with the access token, one refresh-and-retry on 401, and
// every failure turned into an ApiError whose message a player can act on. Routes that a
// server may not have yet (the therapy routes) are read with `optional`, which answers null
// on 404 so that a screen can say "not available" instead of breaking.
import type { AuthSession } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 when the server could not be reached
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Reads the API's error shape `{"error":{"code","message"}}`; anything else (a proxy's HTML
// page, an empty body) becomes a message from the status alone.
export async function errorFrom(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get('Retry-After'));
  const retryAfter = retry > 0 ? retry : undefined;
  let code = 'http_' + res.status;
  let message = '';
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    if (body && body.error && typeof body.error.code === 'string') code = body.error.code;
    if (body && body.error && typeof body.error.message === 'string') message = body.error.message;
  } catch {
    // not JSON: keep the status-based message below
  }
  if (!message) message = fallbackMessage(res.status);
  if (res.status === 429) {
    message = retryAfter ? `Too many requests; please wait ${retryAfter} s and try again.` : 'Too many requests; please wait a moment and try again.';
  }
  return new ApiError(res.status, code, message, retryAfter);
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please sign in again.';
  if (status === 404) return 'That could not be found.';
  if (status >= 500) return 'TTA had a problem on its side. Please try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

// The server's router answers a path it has no route for with 404 "no route for <path>" (or
// 405 when the path exists under other methods); a proxy's bare 404 counts too.
export function isMissingRoute(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  if (e.status === 405) return true;
  return e.status === 404 && (e.code === 'http_404' || e.message.startsWith('no route for'));
}

export interface TokenStore {
  get(): AuthSession | null;
  set(session: AuthSession | null): void;
}

export interface ApiOptions {
  base?: string;
  tokens: TokenStore;
  fetch?: typeof fetch;
  // Serialises refreshes across tabs: a refresh token is good for one use, and a second use
  // revokes the sign-in (docs/api.md), so two tabs must never refresh at once.
  lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
  onSignedOut?: () => void;
}

export class Api {
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private refreshing: Promise<boolean> | null = null;

  constructor(private readonly options: ApiOptions) {
    this.base = options.base ?? '';
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get signedIn(): boolean {
    return this.options.tokens.get() !== null;
  }

  async accessToken(): Promise<string> {
    return this.options.tokens.get()?.access_token ?? '';
  }

  async request<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const session = this.options.tokens.get();
    if (session) headers.Authorization = `Bearer ${session.access_token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'offline', "Can't reach TTA right now. Check your connection and try again.");
    }
    if (res.status === 401 && session && !retried && !path.startsWith('/v1/auth/')) {
      if (await this.refresh()) return this.request<T>(method, path, body, true);
    }
    if (!res.ok) throw await errorFrom(res);
    if (res.status === 204) return undefined as T;
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(res.status, 'bad_response', 'TTA sent an answer the player could not read. Please reload the page.');
    }
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  // For routes a server may not offer: null when it has no such route, the value otherwise.
  // A 404 about a thing (no safety plan yet) is not a missing route, and is thrown.
  async optional<T>(method: string, path: string, body?: unknown): Promise<T | null> {
    try {
      return await this.request<T>(method, path, body);
    } catch (e) {
      if (isMissingRoute(e)) return null;
      throw e;
    }
  }

  async register(username: string, password: string, email?: string): Promise<AuthSession> {
    const s = await this.request<AuthSession>('POST', '/v1/auth/register', email ? { username, password, email } : { username, password });
    this.options.tokens.set(s);
    return s;
  }

  async login(username: string, password: string): Promise<AuthSession> {
    const s = await this.request<AuthSession>('POST', '/v1/auth/login', { username, password });
    this.options.tokens.set(s);
    return s;
  }

  async logout(): Promise<void> {
    const s = this.options.tokens.get();
    this.options.tokens.set(null);
    if (s) {
      try {
        await this.request('POST', '/v1/auth/logout', { refresh_token: s.refresh_token });
      } catch {
        // The tokens are gone from this device either way; the access token expires soon.
      }
    }
  }

  // Exchanges the refresh token once for a new pair; false (and signed out) when refused.
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      const lock = this.options.lock ?? ((_name, fn) => fn());
      const before = this.options.tokens.get()?.refresh_token;
      this.refreshing = lock('tta-refresh', async () => {
        const current = this.options.tokens.get();
        if (!current) return false;
        // Another tab refreshed while this one waited for the lock: use its tokens.
        if (current.refresh_token !== before) return true;
        try {
          const s = await this.request<AuthSession>('POST', '/v1/auth/refresh', { refresh_token: current.refresh_token }, true);
          this.options.tokens.set(s);
          return true;
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) {
            this.options.tokens.set(null);
            this.options.onSignedOut?.();
          }
          return false;
        }
      }).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }
}
