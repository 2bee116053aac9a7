/// <reference lib="dom" />
import type { MyTimerApi } from '../preload/api.js';
import type { ErrorBody, Method, Params, Result } from '../shared/contract.js';
import { errorText } from '../shared/i18n/index.js';
import { locale } from './locale.js';

declare global {
  interface Window {
    /** The preload's API (app/preload); absent when the page is opened outside the app. */
    readonly mytimer?: MyTimerApi;
  }
}

/**
 * The daemon answered `ok: false`: `body.field` names the culprit, `body.message` says what is
 * allowed — in the window's language when the daemon sent a catalog key for it.
 */
export class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
  readonly body: ErrorBody;
  constructor(body: ErrorBody) {
    const message = errorText(locale(), body);
    super(message);
    this.body = { ...body, message };
  }
}

/** The API, or null when there is no preload (the page was opened in a plain browser). */
export function preloadApi(): MyTimerApi | null {
  return window.mytimer ?? null;
}

/** A request whose reply is unwrapped: resolves to the method's result (the contract's type), rejects with RequestFailed. */
export type Call = <M extends Method>(method: M, params: Params<M>) => Promise<Result<M>>;

export function caller(api: MyTimerApi): Call {
  return async (method, params) => {
    const reply = await api.request(method, params);
    if (!reply.ok) throw new RequestFailed(reply.error);
    return reply.result;
  };
}
