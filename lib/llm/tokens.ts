/**
 * A documented tokenizer approximation, used for the `usage` the loopback stand-ins report and for
 * truncating a reply at `max_tokens`.
 *
 * Real tokenizers (OpenAI's cl100k/o200k BPE) are not shipped here; this rule imitates their
 * pre-tokenizer closely enough for cost estimates (within ~±25% on English prose and numeric lists):
 *
 * 1. The text is split by GPT-2's pre-tokenizer pattern: an optional leading space plus a run of
 *    letters, an optional leading space plus a run of digits, an optional leading space plus a run of
 *    other symbols, or whitespace.
 * 2. A letter run counts one token per started 8 letters (BPE merges common words into one token,
 *    long words into a few); a digit run one token per started 3 digits (cl100k splits numbers into
 *    groups of at most 3 digits); a symbol run one token per symbol; a whitespace run one token if it
 *    contains a line break, otherwise none (a space is absorbed by the following word).
 *
 * The pieces concatenate back to the text exactly, so truncation at k tokens is a prefix of the text.
 * A chat request adds the overhead of OpenAI's cookbook counting for chat models: 3 tokens per message
 * (+1 with a `name`) and 3 tokens priming the reply.
 *
 * @module
 */

const PIECE = / ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+/gu;

/** The pieces of `text`, one per approximate token; `pieces.join("") === text`. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PIECE)) {
    const s = m[0];
    const lead = s.startsWith(" ") && s.length > 1 && !/^\s+$/.test(s) ? 1 : 0;
    const body = s.slice(lead);
    if (/^\s+$/u.test(s)) {
      // whitespace: one token when it holds a line break, else it rides on the next piece
      if (s.includes("\n")) out.push(s);
      else if (out.length > 0) out[out.length - 1] += s;
      else out.push(s);
      continue;
    }
    const chunk = /^\p{L}/u.test(body) ? 8 : /^\p{N}/u.test(body) ? 3 : 1;
    const chars = Array.from(body);
    for (let i = 0; i < chars.length; i += chunk) {
      const part = chars.slice(i, i + chunk).join("");
      out.push(i === 0 && lead ? " " + part : part);
    }
  }
  return out;
}

const WHITESPACE = /^\s+$/u;
const BLANK = /^[ \t]+$/;
const LETTER = /^\p{L}/u;
const DIGIT = /^\p{N}/u;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Code points of `s` (as `Array.from(s).length`). */
function codePoints(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Character classes of ASCII codes for {@link countAscii}: 1 letter, 2 digit, 3 whitespace (`\s`), 0 other. */
const ASCII_CLASS = Uint8Array.from(
  { length: 128 },
  (_, c) =>
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
      ? 1
      : c >= 48 && c <= 57
      ? 2
      : c === 32 || (c >= 9 && c <= 13)
      ? 3
      : 0,
);

/**
 * {@link countTokens} of an ASCII text by a scan of character classes instead of the piece pattern (the
 * same pieces: an optional space before a run of letters, digits or other symbols, or a whitespace run).
 */
function countAscii(text: string): number {
  const L = text.length;
  let n = 0, i = 0;
  while (i < L) {
    const start = i;
    let k = ASCII_CLASS[text.charCodeAt(i)];
    // a space leads the run after it unless that is whitespace too (then the space is part of that run)
    if (text.charCodeAt(i) === 32 && i + 1 < L && ASCII_CLASS[text.charCodeAt(i + 1)] !== 3) {
      i++;
      k = ASCII_CLASS[text.charCodeAt(i)];
    }
    if (k === 3) {
      let newline = false, blank = true;
      for (; i < L && ASCII_CLASS[text.charCodeAt(i)] === 3; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) newline = true;
        if (c !== 32 && c !== 9) blank = false;
      }
      if (newline || (start === 0 && !blank)) n++;
      continue;
    }
    const body = i;
    while (i < L && ASCII_CLASS[text.charCodeAt(i)] === k) i++;
    n += Math.ceil((i - body) / (k === 1 ? 8 : k === 2 ? 3 : 1));
  }
  return n;
}

/**
 * The approximate number of tokens of `text` (see the module comment for the rule): the number of
 * {@link tokenize} pieces that are not blanks alone, counted without building the pieces (the loopback
 * server counts every prompt).
 */
export function countTokens(text: string): number {
  if (!NON_ASCII.test(text)) return countAscii(text);
  let n = 0, first = true;
  for (const m of text.matchAll(PIECE)) {
    const s = m[0];
    if (WHITESPACE.test(s)) {
      // a whitespace piece: a token with a line break; otherwise merged into the previous piece, or,
      // as the first piece, a token unless it is blanks alone
      if (s.includes("\n") || (first && !BLANK.test(s))) n++;
      first = false;
      continue;
    }
    first = false;
    const body = s.charCodeAt(0) === 32 && s.length > 1 ? s.slice(1) : s;
    const chunk = LETTER.test(body) ? 8 : DIGIT.test(body) ? 3 : 1;
    n += Math.ceil(codePoints(body) / chunk);
  }
  return n;
}

/** The first `maxTokens` approximate tokens of `text`, and whether anything was cut. */
export function truncateTokens(text: string, maxTokens: number): { text: string; truncated: boolean } {
  const pieces = tokenize(text);
  let kept = 0, end = 0;
  for (const p of pieces) {
    const counts = !/^[ \t]+$/.test(p);
    if (counts && kept === maxTokens) return { text: pieces.slice(0, end).join(""), truncated: true };
    if (counts) kept++;
    end++;
  }
  return { text, truncated: false };
}

/** A chat message as counted by {@link countChatTokens}. */
export interface CountedMessage {
  /** Who speaks. */
  role: string;
  /** What is said. */
  content: string;
  /** The speaker's name, when given (counted as OpenAI counts it). */
  name?: string;
}

/** Prompt tokens of a chat request: content tokens + 3 per message (+1 per name) + 3 for the reply. */
export function countChatTokens(messages: readonly CountedMessage[]): number {
  let n = 3;
  for (const m of messages) n += 3 + countTokens(m.content) + (m.name ? 1 : 0);
  return n;
}
