import { deepEqual as assertEquals } from "node:assert/strict";
import { countChatTokens, countTokens, tokenize } from "../lib/llm/tokens.ts";
import { Rng } from "../lib/core/rng.ts";

/** The count as the module comment defines it: the pieces that are not blanks alone. */
const byPieces = (t: string) => tokenize(t).filter((p) => !/^[ \t]+$/.test(p)).length;

Deno.test("countTokens equals the number of non-blank tokenize pieces on hand-picked texts", () => {
  const texts = [
    "",
    " ",
    "  \t",
    "\n",
    " \n ",
    "\r a",
    "\u00a0x",
    "Hello, world!",
    "  leading spaces and trailing   ",
    "supercalifragilisticexpialidocious 1234567 ...!!",
    "input: Gold extends gains for 3rd straight day\nup\n\ninput: gold falls",
    "emoji 😀😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters, lone \ud800 surrogate",
    "数字１２３ and Ελληνικά\t\ttabs\r\nCRLF",
  ];
  for (const t of texts) assertEquals(countTokens(t), byPieces(t), JSON.stringify(t));
});

Deno.test("countTokens equals the piece count on 2,000 random texts over a mixed alphabet", () => {
  const alphabet = [..."ab Z9 \t\n\r.,!-_é😀\u00a0\u2003"];
  const rng = new Rng(7);
  for (let k = 0; k < 2000; k++) {
    const n = rng.int(41);
    let t = "";
    for (let i = 0; i < n; i++) t += alphabet[rng.int(alphabet.length)];
    assertEquals(countTokens(t), byPieces(t), JSON.stringify(t));
  }
  // ASCII texts take a scan of character classes instead of the pattern: the same counts
  const ascii = [..." \t\n\r\v\fabcXYZ0129.,;!?-_()[]{}'\"`~@#$%^&*+=<>/\\|\x00\x7f"];
  for (let k = 0; k < 3000; k++) {
    const n = rng.int(30);
    let t = "";
    for (let i = 0; i < n; i++) t += ascii[rng.int(ascii.length)];
    assertEquals(countTokens(t), byPieces(t), JSON.stringify(t));
  }
  assertEquals(countChatTokens([{ role: "user", content: "two words" }]), 3 + 3 + 2);
});
