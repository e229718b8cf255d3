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

/** The approximate number of tokens of `text` (see the module comment for the rule). */
export function countTokens(text: string): number {
  return tokenize(text).filter((p) => !/^[ \t]+$/.test(p)).length;
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
