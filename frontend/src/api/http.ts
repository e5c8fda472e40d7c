/**
 * The one place the app talks HTTP: same-origin `/api/v1/...` calls with the bearer token,
 * one silent refresh on 401, and every failure turned into an `ApiError` whose `detail` is what
 * the user reads (the backend speaks RFC 9457 problem+json everywhere).
 */

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get requestId(): string | undefined {
    return this.problem.request_id;
  }
}

export interface TokenStore {
  accessToken(): string | null;
  /** Get a new access token (rotating the refresh token); null when the session is over. */
  refresh(): Promise<string | null>;
}

let tokens: TokenStore | null = null;

export function setTokenStore(store: TokenStore | null): void {
  tokens = store;
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Send no bearer token and never try to refresh (login, register, refresh itself). */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** What the caller reads back; JSON (or a problem) unless told otherwise, e.g. `text/event-stream`. */
  accept?: string;
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: options.accept ? `${options.accept}, application/problem+json` : 'application/json, application/problem+json',
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, {
      title: 'Network error',
      detail: 'The server could not be reached. Check your connection and try again.',
    });
  }
}

export async function problemFrom(response: Response): Promise<ApiError> {
  let problem: Problem = { status: response.status, title: response.statusText };
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') problem = { ...problem, ...(parsed as Problem) };
    } catch {
      // A proxy in front of us may answer with HTML; the status line still tells the story.
    }
  }
  if (!problem.detail) problem.detail = defaultDetail(response.status);
  return new ApiError(response.status, problem);
}

function defaultDetail(status: number): string {
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return 'The server had a problem answering. Try again shortly.';
  return `Request failed (${status}).`;
}

/** Perform a request and return the raw response once it is a success (2xx). */
export async function requestRaw(path: string, options: RequestOptions = {}): Promise<Response> {
  const token = options.anonymous ? null : (tokens?.accessToken() ?? null);
  let response = await send(path, options, token);
  if (response.status === 401 && !options.anonymous && tokens) {
    const fresh = await tokens.refresh();
    if (fresh) response = await send(path, options, fresh);
  }
  if (!response.ok) throw await problemFrom(response);
  return response;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await requestRaw(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The file name a `Content-Disposition` header gives, if any (`filename*=` wins, as in RFC 6266). */
export function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : null;
}

/**
 * Fetch a file (PDF, PNG, CSV) with the user's token and hand it to the browser as a download,
 * under the server's name for it when it gives one. A plain link would carry no bearer token.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const response = await requestRaw(path);
  const filename = dispositionFilename(response.headers.get('Content-Disposition')) ?? fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
