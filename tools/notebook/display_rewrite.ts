/**
 * The display convention of the headless runner: finding a cell's last top-level statement with a small
 * tokenizer and rewriting a final expression statement so that its value is displayed (see
 * tools/notebook/headless.ts).
 *
 * @module
 */

/** The call that displays cell `k`'s final expression in the headless runner's generated program. */
export const DISPLAY_PREFIX = (k: number) => `await globalThis.__nb.display(${k}, (`;

// ---------------------------------------------------------------------------------------------------------
// Display rewriting
// ---------------------------------------------------------------------------------------------------------

/** Where a cell's last top-level statement is: `[start, end)` without its `;`, `after` past the `;`. */
export interface LastStatement {
  start: number;
  end: number;
  after: number;
}

const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "await",
  "yield",
  "instanceof",
]);
// A line ending in one of these continues on the next line.
const CONTINUES_LINE = new Set([
  ",",
  "(",
  "[",
  "{",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "!",
  "~",
  "?",
  ":",
  "<",
  ">",
  ".",
]);
// A line beginning with one of these continues the previous line.
const CONTINUES_FROM = new Set([
  ".",
  ",",
  ")",
  "]",
  "}",
  "?",
  ":",
  "=",
  "+",
  "-",
  "*",
  "/",
  "%",
  "&",
  "|",
  "^",
  "<",
  ">",
]);

/**
 * Finds a cell's last top-level statement, or undefined when the scan fails (unbalanced brackets or an
 * unterminated string, comment or template) or the cell has no code. A heuristic tokenizer: it knows
 * strings, template literals with `${}`, comments and regular expressions, tracks bracket depth, and
 * starts a statement after a top-level `;`, or at a new line whose previous line cannot continue.
 */
export function lastStatement(src: string): LastStatement | undefined {
  const stack: string[] = [];
  let i = 0;
  const n = src.length;
  let lastSig = -1; // index of the last significant character
  let lastWord = "";
  let stmtStart = -1;
  let startNext = true; // the next significant top-level character starts a statement
  let newlineSeen = false; // a newline at depth 0 since the last significant character
  let lastSemicolon = -1;

  const significant = (at: number) => {
    if (stack.length === 0) {
      const c = src[at];
      const prev = lastSig >= 0 ? src[lastSig] : "";
      const continues = CONTINUES_FROM.has(c) ||
        /^(as|satisfies|in|instanceof)\b/.test(src.slice(at, at + 11));
      if (startNext || (newlineSeen && !CONTINUES_LINE.has(prev) && !continues)) stmtStart = at;
    }
    startNext = false;
    newlineSeen = false;
    lastSig = at;
  };

  const scanTemplate = (): boolean => {
    // i is just past a backtick or a closing "}" of ${...}; scan to the closing backtick or "${".
    while (i < n) {
      const c = src[i];
      if (c === "\\") {
        i += 2;
      } else if (c === "`") {
        i++;
        return true;
      } else if (c === "$" && src[i + 1] === "{") {
        stack.push("${");
        i += 2;
        return true;
      } else i++;
    }
    return false;
  };

  while (i < n) {
    const c = src[i];
    if (c === "\n") {
      if (stack.length === 0) newlineSeen = true;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const close = src.indexOf("*/", i + 2);
      if (close < 0) return undefined;
      for (let j = i; j < close; j++) if (src[j] === "\n" && stack.length === 0) newlineSeen = true;
      i = close + 2;
      continue;
    }
    const at = i;
    if (c === "'" || c === '"') {
      significant(at);
      i++;
      while (i < n && src[i] !== c) {
        if (src[i] === "\n") return undefined;
        i += src[i] === "\\" ? 2 : 1;
      }
      if (i >= n) return undefined;
      i++;
      lastSig = i - 1;
      lastWord = "";
      continue;
    }
    if (c === "`") {
      significant(at);
      i++;
      if (!scanTemplate()) return undefined;
      lastSig = i - 1;
      lastWord = "";
      continue;
    }
    if (c === "/") {
      const prev = lastSig >= 0 ? src[lastSig] : "";
      const regexAllowed = lastSig < 0 || "(,=:[!&|?{};+-*%<>~^".includes(prev) ||
        (lastWord !== "" && REGEX_AFTER_WORD.has(lastWord) && /[\w$]/.test(prev));
      significant(at);
      i++;
      if (regexAllowed) {
        let inClass = false;
        while (i < n) {
          const r = src[i];
          if (r === "\n") return undefined;
          if (r === "\\") i += 2;
          else {
            i++;
            if (r === "[") inClass = true;
            else if (r === "]") inClass = false;
            else if (r === "/" && !inClass) break;
          }
        }
        lastSig = i - 1;
      }
      lastWord = "";
      continue;
    }
    if (/[\w$]/.test(c)) {
      significant(at);
      let j = i;
      while (j < n && /[\w$]/.test(src[j])) j++;
      lastWord = src.slice(i, j);
      lastSig = j - 1;
      i = j;
      continue;
    }
    // Punctuation.
    significant(at);
    lastWord = "";
    i++;
    if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c === ")" || c === "]" || c === "}") {
      const open = stack.pop();
      if (open === undefined) return undefined;
      if (open === "${") {
        if (c !== "}" || !scanTemplate()) return undefined;
        lastSig = i - 1;
      } else if ((open === "(" && c !== ")") || (open === "[" && c !== "]") || (open === "{" && c !== "}")) {
        return undefined;
      }
    } else if (c === ";" && stack.length === 0) {
      startNext = true;
      lastSemicolon = at;
    }
  }
  if (stack.length > 0 || lastSig < 0 || stmtStart < 0) return undefined;
  if (lastSemicolon === lastSig) {
    // The cell ends with ";": the last statement is the one that semicolon closes.
    if (stmtStart >= lastSemicolon) return undefined; // an empty statement
    return { start: stmtStart, end: lastSemicolon, after: lastSemicolon + 1 };
  }
  return { start: stmtStart, end: lastSig + 1, after: lastSig + 1 };
}

const NOT_AN_EXPRESSION = new RegExp(
  "^(?:" + [
    "(?:const|var|function|class|export|if|for|while|do|switch|try|return|throw|break|continue|debugger|with)\\b",
    "let\\s*[\\w$\\[{]",
    "import\\b(?!\\s*[(.])",
    "(?:type|interface|enum|namespace|module|declare|abstract)\\s+[\\w$]",
    "async\\s+function\\b",
    "(?:await\\s+)?using\\s+[\\w$]",
    "[{}@;]",
    "[\\w$]+\\s*:(?!:)", // a label
  ].join("|") + ")",
);

/** Whether a statement's text can be an expression statement whose value the kernel would show. */
export function isExpressionStatement(statement: string): boolean {
  const s = statement.trim();
  return s.length > 0 && !NOT_AN_EXPRESSION.test(s);
}

/**
 * Rewrites a cell so that the value of its final expression statement is displayed (see the module doc):
 * `<expr>;` becomes `await globalThis.__nb.display(k, (<expr>));`. Returns undefined when the cell does not
 * end with an expression statement. Line numbers are preserved.
 */
export function rewriteDisplay(src: string, k: number): string | undefined {
  const last = lastStatement(src);
  if (!last) return undefined;
  const statement = src.slice(last.start, last.end);
  if (!isExpressionStatement(statement)) return undefined;
  return src.slice(0, last.start) + `${DISPLAY_PREFIX(k)}${statement}));` + src.slice(last.after);
}
