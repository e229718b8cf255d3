/**
 * Reading a prompt the way the stand-ins need: the text of the request, the number of items asked for.
 *
 * @module
 */

/** A message of a chat request as the server receives it. */
export interface RequestMessage {
  /** Who speaks. */
  role: string;
  /** What is said. */
  content: string;
}

/** The text a stand-in reads: the system and user messages, in order, joined by blank lines. */
export function promptText(messages: readonly RequestMessage[]): string {
  return messages.filter((m) => m.role !== "assistant").map((m) => m.content).join("\n\n");
}

const WORDS: Record<string, number> = {
  one: 1,
  a: 1,
  an: 1,
  single: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

/**
 * The number of `noun`s a prompt asks for: a count (digits or a word one…twelve) within a few words
 * before the noun after a verb of asking ("output three new solutions", "generate 5 solutions",
 * "propose 2 new instructions"); the first such phrase with a count wins; undefined when none has one.
 */
export function requestedCount(text: string, noun: string): number | undefined {
  const re = new RegExp(
    String.raw`\b(?:output|generate|propose|give|return|produce|provide|write|create|suggest)\b` +
      String.raw`(?:\s+(?:me|us|exactly|only|just|simply))*\s+(\d+|[a-z]+)\b(?:\s+[\w-]+){0,3}?\s+${noun}`,
    "gi",
  );
  for (const m of text.matchAll(re)) {
    const w = m[1].toLowerCase();
    const n = /^\d+$/.test(w) ? Number(w) : WORDS[w];
    if (n !== undefined && n >= 1 && n <= 1000) return n;
  }
  return undefined;
}

/** FNV-1a (32-bit) of a string, for seeding. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
