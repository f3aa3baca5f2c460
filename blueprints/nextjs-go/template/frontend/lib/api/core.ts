// What every resource's API module shares: the typed client, its errors and results.
import type { Client } from 'openapi-fetch';

import type { paths } from './schema';
import type { Problem } from './types';

export type ApiClient = Client<paths>;

/** An unexpected answer from the API; the nearest error.tsx boundary renders it. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem?: Problem) {
    super(problem?.detail || problem?.title || `API request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

/** A create or update: the row, or the problem (400, 409, 422) for the form to show. */
export type WriteResult<T> = { ok: true; item: T } | { ok: false; status: number; problem: Problem };

export function asProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'title' in body) {
    return body as Problem;
  }
  return { type: 'about:blank', title: `HTTP ${status}`, status };
}

/** Problems a form can show; anything else is thrown as an ApiError. */
export function writeResult<T>(data: T | undefined, error: unknown, response: Response): WriteResult<T> {
  if (data) {
    return { ok: true, item: data };
  }
  if ([400, 409, 422].includes(response.status)) {
    return { ok: false, status: response.status, problem: asProblem(response.status, error) };
  }
  throw new ApiError(response.status, asProblem(response.status, error));
}
