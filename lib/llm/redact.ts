/**
 * Keeping the API key out of every output: error messages, inspection, JSON, notebooks.
 *
 * A secret is the API key and whatever secret an endpoint URL carries (user info, or the value of a
 * query parameter named like a key, a token or a signature, as in `?api-key=…`). {@link redactText}
 * replaces each secret (and its URL-encoded form) by `[redacted]`, and, whatever the secrets, any
 * `Bearer …` credential and any string shaped like an OpenAI key (`sk-` and at least 16 more
 * characters), so a key echoed by a server is caught even when it is not the one configured.
 *
 * @module
 */

/** What replaces a secret. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are placeholders ("none", "local"), not keys; they are not searched for. */
const MIN_SECRET = 8;

const QUERY_SECRET = /key|token|secret|sig|auth|pass|credential/i;
const KEY_SHAPE = /\bsk-[A-Za-z0-9_\-]{16,}/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+\/=\-]{8,}/gi;

/** The secrets a URL carries: its user name and password, and the values of key-like query parameters. */
export function urlSecrets(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const s of [u.username, u.password]) if (s) out.push(decodeURIComponent(s), s);
  for (const [k, v] of u.searchParams) if (v && QUERY_SECRET.test(k)) out.push(v);
  return out;
}

/** `url` with its user info and key-like query values replaced by `[redacted]` (not a URL to call). */
export function redactURL(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactText(url, []);
  }
  const auth = u.username || u.password ? `${REDACTED}@` : "";
  const query = [...u.searchParams].map(([k, v]) =>
    `${encodeURIComponent(k)}=${QUERY_SECRET.test(k) && v ? REDACTED : encodeURIComponent(v)}`
  );
  const path = u.pathname === "/" && !url.endsWith("/") ? "" : u.pathname;
  return redactText(
    `${u.protocol}//${auth}${u.host}${path}${query.length ? `?${query.join("&")}` : ""}${u.hash}`,
    [],
  );
}

/** The distinct secrets worth searching for, longest first (so a secret inside another goes too). */
export function secretList(...secrets: (string | undefined)[]): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < MIN_SECRET) continue;
    all.add(s);
    const enc = encodeURIComponent(s);
    if (enc !== s) all.add(enc);
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** `text` with every secret, `Bearer` credential and OpenAI-shaped key replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_SECRET) out = out.split(s).join(REDACTED);
  return out.replace(BEARER, `$1 ${REDACTED}`).replace(KEY_SHAPE, REDACTED);
}

/** A JSON-like value with every string redacted (objects and arrays copied). */
export function redactValue(value: unknown, secrets: readonly string[], depth: number = 0): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (value === null || typeof value !== "object" || depth > 20) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactValue(v, secrets, depth + 1)]),
  );
}

/**
 * A copy of an error, safe to show: same name, message and stack redacted, its cause redacted the
 * same way (the original error object, which may hold headers or a request, is not kept).
 */
export function redactError(e: unknown, secrets: readonly string[], depth: number = 0): Error {
  if (!(e instanceof Error)) return new Error(redactText(String(e), secrets));
  const copy = new Error(
    redactText(e.message, secrets),
    e.cause !== undefined && depth < 4 ? { cause: redactError(e.cause, secrets, depth + 1) } : undefined,
  );
  copy.name = e.name;
  copy.stack = e.stack === undefined ? undefined : redactText(e.stack, secrets);
  return copy;
}
