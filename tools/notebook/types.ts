/**
 * The nbformat 4 shapes the notebook tools read and write (only the fields they use are typed).
 *
 * @module
 */

/** The run profiles (mirrors `lib/profile.ts`). */
export type Profile = "quick" | "full";

/** One output of an nbformat 4 code cell. */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
    output_type: "execute_result";
    execution_count: number;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** An nbformat 4 cell (only the fields the runner uses are typed). */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
  id?: string;
  [key: string]: unknown;
}

/** An nbformat 4 notebook. */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}
