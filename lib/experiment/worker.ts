/**
 * Worker thread of `runMany`: receives `{ i, spec }`, answers `{ i, record }` or `{ i, error }`.
 */
import { runOne, type RunSpec } from "./run.ts";

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<{ i: number; spec: RunSpec }>) => void) | null;
  postMessage(m: unknown): void;
};

scope.onmessage = (e) => {
  const { i, spec } = e.data;
  try {
    scope.postMessage({ i, record: runOne(spec) });
  } catch (err) {
    scope.postMessage({ i, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
