/**
 * A small RFC 4180 CSV reader for the external datasets (LogPai, OVERRULING, HEADLINES): quoted fields may
 * hold commas, newlines (CRLF or LF) and doubled quotes (`""`), as the LogPai `Content` and model-output
 * columns do. One pass over the
 * character codes, slicing unquoted fields straight out of the text; a 2000-row LogPai file parses in
 * a few milliseconds (see bench/optllm_bench.ts).
 *
 * Errors name the file, the record and its starting line: an unterminated quote, a stray quote inside
 * an unquoted field, or a record whose field count differs from the header's (a ragged row).
 *
 * @module
 */

/** A parsed CSV table: the header and the records (each as long as the header). */
export interface Csv {
  /** The file name used in error messages. */
  readonly file: string;
  /** The column names, from the first record. */
  readonly header: string[];
  /** The records after the header, each as long as the header. */
  readonly rows: string[][];
  /** The 1-based line on which each record starts (for error messages). */
  readonly lines: Int32Array;
}

const QUOTE = 34, COMMA = 44, LF = 10, CR = 13;

/**
 * The records of CSV text, header or not, with the 1-based line each starts on. Empty lines between
 * records are skipped. Throws naming the file, record and line on an unterminated quoted field or a
 * quote inside an unquoted field.
 */
export function parseCsvRecords(text: string, file = "<csv>"): { records: string[][]; lines: Int32Array } {
  const records: string[][] = [];
  const starts: number[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  let line = 1;
  while (i < n) {
    // skip blank lines between records
    const c0 = text.charCodeAt(i);
    if (c0 === LF) {
      i++, line++;
      continue;
    }
    if (c0 === CR && text.charCodeAt(i + 1) === LF) {
      i += 2, line++;
      continue;
    }
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        // quoted field
        let j = i + 1;
        let parts: string[] | undefined;
        let from = j;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw new Error(
              `${file}: record ${records.length + 1} (line ${startLine}), field ${fields.length + 1}: ` +
                `unterminated quoted field`,
            );
          }
          // count newlines inside the quoted span for line numbers
          for (let k = j; k < q; k++) if (text.charCodeAt(k) === LF) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            (parts ??= []).push(text.slice(from, q + 1));
            j = q + 2;
            from = j;
            continue;
          }
          const last = text.slice(from, q);
          value = parts ? parts.join("") + last : last;
          i = q + 1;
          break;
        }
        const after = i < n ? text.charCodeAt(i) : LF;
        if (after !== COMMA && after !== LF && after !== CR) {
          throw new Error(
            `${file}: record ${records.length + 1} (line ${line}), field ${fields.length + 1}: ` +
              `unexpected character after a closing quote`,
          );
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new Error(
              `${file}: record ${records.length + 1} (line ${line}), field ${fields.length + 1}: ` +
                `a quote inside an unquoted field`,
            );
          }
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        i++;
        if (i >= n) {
          fields.push("");
          break;
        }
        continue;
      }
      if (c === CR) i++;
      if (text.charCodeAt(i) === LF) i++;
      line++;
      break;
    }
    records.push(fields);
    starts.push(startLine);
  }
  return { records, lines: Int32Array.from(starts) };
}

/**
 * Parses CSV text whose first record is the header. `file` names the source in errors. Empty lines
 * between records are skipped; a trailing newline is optional. Throws on a ragged row, an unterminated
 * quoted field, or a quote that appears inside an unquoted field.
 */
export function parseCsv(text: string, file = "<csv>"): Csv {
  const { records, lines: starts } = parseCsvRecords(text, file);
  if (records.length === 0) throw new Error(`${file}: empty file (no header)`);
  const header = records[0];
  const width = header.length;
  for (let r = 1; r < records.length; r++) {
    if (records[r].length !== width) {
      throw new Error(
        `${file}: row ${r} (line ${starts[r]}) has ${records[r].length} fields, the header has ${width}`,
      );
    }
  }
  return { file, header, rows: records.slice(1), lines: starts.slice(1) };
}

/** The index of each named column; throws naming the file and every missing column. */
export function columnIndex(csv: Csv, names: readonly string[]): number[] {
  const missing = names.filter((c) => !csv.header.includes(c));
  if (missing.length > 0) {
    throw new Error(`${csv.file}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  }
  return names.map((c) => csv.header.indexOf(c));
}

/**
 * The number in row `r`, column `c`; throws naming file, row (1-based data row), line and column when
 * the cell is empty or not a finite number.
 */
export function numberAt(csv: Csv, r: number, c: number): number {
  const s = csv.rows[r][c];
  const v = s.trim() === "" ? NaN : Number(s);
  if (!Number.isFinite(v)) {
    throw new Error(
      `${csv.file}: row ${r + 1} (line ${csv.lines[r]}), column ${csv.header[c]}: ` +
        `${JSON.stringify(s.length > 40 ? s.slice(0, 40) + "…" : s)} is not a number`,
    );
  }
  return v;
}

/**
 * The data rows of a headed CSV as objects keyed by the header's names, after checking that the
 * `required` columns exist (the error names the file and every missing column).
 */
export function csvObjects(csv: Csv, required: readonly string[] = []): Record<string, string>[] {
  columnIndex(csv, required);
  return csv.rows.map((row) => {
    const o: Record<string, string> = {};
    for (let c = 0; c < csv.header.length; c++) o[csv.header[c]] = row[c];
    return o;
  });
}
