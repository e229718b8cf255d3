/**
 * The named errors of the LLM layer. Every failure of a call ends in one of these, carrying what is
 * needed to understand it: the endpoint, the status, the reply text.
 *
 * @module
 */

/** Base class of every error raised by lib/llm. */
export class LLMError extends Error {
  /** An error with this message (and cause). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown by a reply parser when a reply is not in the requested format. {@link ask} re-asks on it; any
 * other error from a parser propagates at once.
 */
export class ParseError extends LLMError {}

/** The reply could not be parsed after every re-ask; `reply` is the last reply, `replies` all of them. */
export class ReplyFormatError extends LLMError {
  /** The error after the last re-ask: the last reply, every reply, and each parse error. */
  constructor(
    message: string,
    readonly reply: string,
    readonly replies: string[],
    readonly errors: string[],
  ) {
    super(message);
  }
}

/** The endpoint answered 200 with a body that is not a chat completion (not JSON, or a wrong shape). */
export class InvalidResponseError extends LLMError {}

/** The endpoint answered a chat completion with no choices. */
export class EmptyChoicesError extends LLMError {}

/** The reply stopped at the token limit (`finish_reason: "length"`); `reply` holds what arrived. */
export class TruncatedReplyError extends LLMError {
  /** The error with the reply cut at `maxTokens`. */
  constructor(message: string, readonly reply: string, readonly maxTokens: number | undefined) {
    super(message);
  }
}

/** No reply within the timeout, on the first attempt or any retry. */
export class LLMTimeoutError extends LLMError {}

/**
 * The transport failed on every attempt: the connection was refused, reset or dropped, before the
 * response or in the middle of its body (headers sent, body cut).
 */
export class LLMConnectionError extends LLMError {}

/** The endpoint answered an HTTP error status (after the retries for 408/409/429/5xx). */
export class LLMHTTPError extends LLMError {
  /** The error of an HTTP `status` with the response `body`. */
  constructor(message: string, readonly status: number, readonly body: unknown, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * The endpoint asked (`retry-after` / `retry-after-ms`) to wait longer than the client's ceiling
 * (`maxRetryAfter`) before retrying; `retryAt` is when the endpoint says a retry may succeed.
 */
export class RetryAfterTooLongError extends LLMHTTPError {
  /** The error of a `retry-after` of `retryAfterMs`, beyond the ceiling; a retry may succeed at `retryAt`. */
  constructor(
    message: string,
    status: number,
    body: unknown,
    readonly retryAfterMs: number,
    readonly retryAt: Date,
    options?: ErrorOptions,
  ) {
    super(message, status, body, options);
  }
}

/** Replay mode found no cached answer for a request. */
export class CacheMissError extends LLMError {
  /** The error for the request of cache key `key`. */
  constructor(message: string, readonly key: string) {
    super(message);
  }
}
