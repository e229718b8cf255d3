/**
 * A throw-away PostgreSQL cluster for the database tests: `initdb` in a temporary directory owned by
 * the `postgres` user (PostgreSQL refuses to run as root), a server on loopback at a free port with
 * trust authentication, removed by {@link PgCluster.destroy}. Debian's binaries live in
 * /usr/lib/postgresql/<version>/bin; `PG_BIN` overrides the directory.
 *
 * {@link pgSkip} tells a test to skip when the binaries are absent, except under CI=true, where a
 * missing PostgreSQL is a failure.
 */

function findBin(): string | undefined {
  const env = Deno.env.get("PG_BIN");
  if (env) return env;
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")].map((e) => e.name)
      .filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = `/usr/lib/postgresql/${v}/bin`;
      try {
        Deno.statSync(`${dir}/initdb`);
        return dir;
      } catch { /* next */ }
    }
  } catch { /* no PostgreSQL */ }
  return undefined;
}

const BIN = findBin();

/** Why the database tests are skipped, or undefined when they run (throws under CI without binaries). */
export function pgSkip(): string | undefined {
  if (BIN) return undefined;
  if (Deno.env.get("CI") === "true") {
    throw new Error("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin); CI must install postgresql");
  }
  return "PostgreSQL binaries not found (install Debian's postgresql); skipping the database tests";
}

/** True when the database tests should be ignored (binaries absent outside CI); prints why once. */
export function pgIgnore(): boolean {
  const why = pgSkip();
  if (why) console.warn(why);
  return why !== undefined;
}

const isRoot = (Deno.uid?.() ?? -1) === 0;

async function run(cmd: string[], what: string): Promise<string> {
  const argv = isRoot ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd;
  const out = await new Deno.Command(argv[0], { args: argv.slice(1), stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${what} failed (exit ${out.code}): ${text}`);
  return text;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A running throw-away cluster. */
export class PgCluster {
  readonly dir: string;
  readonly port: number;
  /** A connection URL for the test database. */
  readonly url: string;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
    this.url = `postgres://postgres@127.0.0.1:${port}/moolab_test`;
  }

  /** initdb, start, create the database `moolab_test`. */
  static async start(): Promise<PgCluster> {
    if (!BIN) throw new Error(pgSkip() ?? "PostgreSQL binaries not found");
    // under /tmp when root: the postgres user must reach it (a TMPDIR under /root would not do)
    const dir = await Deno.makeTempDir({ prefix: "moolab-pg-", dir: isRoot ? "/tmp" : undefined });
    if (isRoot) await Deno.chown(dir, uidOf("postgres"), null);
    const c = new PgCluster(dir, freePort());
    await run(
      [`${BIN}/initdb`, "-D", `${dir}/data`, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
      "initdb",
    );
    await c.startServer();
    await run(
      [`${BIN}/createdb`, "-h", "127.0.0.1", "-p", String(c.port), "-U", "postgres", "moolab_test"],
      "createdb",
    );
    return c;
  }

  /** Creates a fresh database `name` on the cluster; returns its URL. */
  async database(name: string): Promise<string> {
    await run(
      [`${BIN}/createdb`, "-h", "127.0.0.1", "-p", String(this.port), "-U", "postgres", name],
      "createdb",
    );
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  /** Starts the server (after {@link stop}). */
  async startServer(): Promise<void> {
    const opts =
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
    await run(
      [`${BIN}/pg_ctl`, "-D", `${this.dir}/data`, "-l", `${this.dir}/log`, "-o", opts, "-w", "start"],
      "pg_ctl start",
    );
  }

  /** Stops the server at once (connections are cut, as in a crash of the database host). */
  async stop(): Promise<void> {
    await run([`${BIN}/pg_ctl`, "-D", `${this.dir}/data`, "-m", "immediate", "-w", "stop"], "pg_ctl stop");
  }

  /** Stops the server and removes the cluster's directory. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } catch { /* already stopped */ }
    await Deno.remove(this.dir, { recursive: true });
  }
}

function uidOf(user: string): number {
  const line = Deno.readTextFileSync("/etc/passwd").split("\n").find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no user ${user} in /etc/passwd`);
  return Number(line.split(":")[2]);
}
