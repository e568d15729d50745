/**
 * One-time preparation some engines need before their first native start, and the user they run as.
 * PostgreSQL refuses to run as root, and needs `initdb` to create its data directory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StackError } from '../../lib/errors.ts';

export interface RunAs {
  uid: number;
  gid: number;
}

/** As root, engines that refuse root run as the `postgres` system user that Debian's package creates. */
export function unprivilegedUser(service: string): RunAs | undefined {
  if (service !== 'postgres' || process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new StackError(
      'PostgreSQL refuses to run as root, and there is no "postgres" user to run it as',
      'Run npm run engines:install (the postgresql package creates that user), or run the kit as a normal user.',
    );
  }
}

/**
 * The unprivileged user must be able to walk down to its directories. As root in a private folder (a CI
 * checkout made with mode 700, say) it could not: give "others" search permission (x, not read) on the way.
 */
function letUserReach(dir: string): void {
  for (let current = dirname(dir); current !== dirname(current); current = dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
  }
}

/** Creates the data directory with initdb on first start. */
export function preparePostgres(binDir: string, dataDir: string, runDir: string, runAs: RunAs | undefined): void {
  if (runAs) {
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(runDir, { recursive: true });
    letUserReach(dataDir);
    letUserReach(runDir);
  }
  for (const dir of [dataDir, runDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  }
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  try {
    // trust on loopback: a lab database with no secrets, reachable only from this machine.
    execFileSync(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'], {
      stdio: 'pipe',
      uid: runAs?.uid,
      gid: runAs?.gid,
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new StackError(`PostgreSQL: initdb failed in ${dataDir}`, 'Delete that directory (npm run lab:reset -- --all) and try again.', stderr.split('\n').slice(-5));
  }
}

/** Creates a database in the lab's PostgreSQL unless it exists (Grafana keeps its state in one). */
export async function ensureDatabase(postgresUrl: string, name: string): Promise<void> {
  // Loaded here, not at the top: only starting PostgreSQL needs it, and every CLI call would pay for it.
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: `${postgresUrl}/postgres`, user: 'postgres', connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // CREATE DATABASE takes no parameters; the name comes from stack/services.ts, never from a user.
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } catch (error) {
    throw new StackError(`could not create the PostgreSQL database "${name}" at ${postgresUrl}: ${(error as Error).message}`, 'Check PostgreSQL with npm run stack:status postgres and its log with npm run stack:logs postgres.');
  } finally {
    await client.end().catch(() => undefined);
  }
}
