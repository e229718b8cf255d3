/**
 * Surviving a crash: whether another process is alive (a lock or temporary file named by, or holding,
 * the pid of a process that no longer runs is stale), and syncing a directory so that a renamed file's
 * new name is durable.
 *
 * @module
 */

/**
 * Whether process `pid` of this machine is alive: on Linux from /proc; where /proc is missing the
 * answer is `true` (cannot tell, so never treat a live process's file as stale).
 */
export function processAlive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    Deno.statSync("/proc/self");
  } catch {
    return true;
  }
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** This machine's host name, or "" when the runtime may not ask. */
export function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "";
  }
}

/**
 * Flushes a directory's entries to disk (after renaming a file into it, so that the rename survives a
 * power loss); a no-op where directories cannot be opened for sync.
 */
export function syncDirectory(dir: string): void {
  try {
    const d = Deno.openSync(dir, { read: true });
    try {
      d.syncSync();
    } finally {
      d.close();
    }
  } catch { /* directories cannot be opened for sync on every platform */ }
}
