import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_METHODOLOGY, METHODOLOGY_BOUNDS } from './domain/methodology.js';

export interface Config {
  port: number;
  host: string;
  /** Path of the SQLite file, or ':memory:'. */
  dbPath: string;
  /** Evidence files and other data live here. */
  dataDir: string;
  demo: boolean;
  secureCookies: boolean;
  /** Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers. */
  trustProxy: boolean;
  sessionSecret: string;
  idleTimeoutMinutes: number;
  maxUploadBytes: number;
  /** Failed log-ins from one address before its attempts start to wait (successes do not count). */
  loginAttemptsPerIp: number;
  /** Keep rendered workpapers until the database changes (off only to measure or rule it out). */
  pageCache: boolean;
  /** Templates are read from disk on every render (development: an edited view shows on the next request). */
  reloadTemplates: boolean;
  /** Days after the report date within which the engagement file is assembled (firm policy): the default of the
   * firm's methodology setting, which holds once an administrator saves it. */
  assemblyDays: number;
  /** Years the engagement file is kept after the report date (firm policy; a default, as assemblyDays). */
  retentionYears: number;
  /** Samples above this many items need a manager's approval (firm policy; a default, as assemblyDays). */
  largeSampleItems: number;
  /** The firm's country (ISO 3166 alpha-2): decides the paper new engagements' reports default to. */
  firmCountry: string;
  /** The largest engagement archive (ZIP) an import accepts. */
  maxArchiveBytes: number;
  /** Time a client has to send a whole request, body included (an upload on a slow link). */
  requestTimeoutMs: number;
  /** Time a client has to send its request line and headers; trickled headers (slowloris) are cut off. */
  headersTimeoutMs: number;
  /** How long a stored evidence file no record refers to is kept before it is collected (an upload in progress
   * stores its file a moment before recording it). */
  evidenceGraceHours: number;
  logLevel: string;
  /** Chromium used to print workpapers to PDF; null when none is configured or found (the PDF answers 503). */
  chromiumPath: string | null;
  /** Project root: views/, static/ and migrations/ are found from here. */
  rootDir: string;
}

/** The folder holding package.json, whether we run from src/ (tsx, vitest) or dist/src/. */
export function findRootDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${from}`);
    dir = parent;
  }
  return dir;
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

/** A secret kept in the data directory so sessions survive a restart without any setup. */
function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** TICKMARK_CHROMIUM as given (a missing file is reported when a PDF is asked for), else Debian's if installed. */
function chromiumFrom(env: Env): string | null {
  if (env.TICKMARK_CHROMIUM) return path.resolve(env.TICKMARK_CHROMIUM);
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

function countryFrom(env: Env): string {
  const raw = (env.TICKMARK_FIRM_COUNTRY ?? '').trim();
  if (raw === '') return 'US';
  if (!/^[A-Za-z]{2}$/.test(raw))
    throw new Error(`TICKMARK_FIRM_COUNTRY must be a two-letter country code such as US or GB (got "${raw}")`);
  return raw.toUpperCase();
}

/** The slowest upload rate the default request timeout allows for the largest upload (32 KiB/s, about 0.26 Mbit/s). */
const SLOWEST_UPLOAD_BYTES_PER_S = 32 * 1024;

/** At least 15 minutes, or what the largest upload needs at the slowest rate. */
function requestTimeoutFrom(env: Env, maxUploadBytes: number): number {
  const fallback = Math.max(900, Math.ceil(maxUploadBytes / SLOWEST_UPLOAD_BYTES_PER_S));
  return intFrom(env, 'TICKMARK_REQUEST_TIMEOUT_S', fallback, 1, 7 * 24 * 3600) * 1000;
}

function headersTimeoutFrom(env: Env, requestTimeoutMs: number): number {
  const ms = intFrom(env, 'TICKMARK_HEADERS_TIMEOUT_S', 30, 1, 600) * 1000;
  if (ms > requestTimeoutMs) throw new Error('TICKMARK_HEADERS_TIMEOUT_S must not exceed TICKMARK_REQUEST_TIMEOUT_S');
  return ms;
}

/** The firm's file and large-sample policy until an administrator saves the firm's methodology (then ignored). */
function methodologyDefaultsFrom(env: Env): Pick<Config, 'assemblyDays' | 'retentionYears' | 'largeSampleItems'> {
  const { assemblyDays, retentionYears, largeSampleItems } = METHODOLOGY_BOUNDS;
  return {
    assemblyDays: intFrom(
      env,
      'TICKMARK_ASSEMBLY_DAYS',
      DEFAULT_METHODOLOGY.assemblyDays,
      assemblyDays.min,
      assemblyDays.max,
    ),
    retentionYears: intFrom(
      env,
      'TICKMARK_RETENTION_YEARS',
      DEFAULT_METHODOLOGY.retentionYears,
      retentionYears.min,
      retentionYears.max,
    ),
    largeSampleItems: intFrom(
      env,
      'TICKMARK_LARGE_SAMPLE_ITEMS',
      DEFAULT_METHODOLOGY.largeSampleItems,
      largeSampleItems.min,
      largeSampleItems.max,
    ),
  };
}

/** `npm run dev`: templates reload and pages are not kept. */
function developing(env: Env): boolean {
  return env.NODE_ENV === 'development';
}

export function loadConfig(env: Env = process.env): Config {
  const rootDir = findRootDir();
  const dataDir = path.resolve(env.TICKMARK_DATA_DIR || path.join(rootDir, 'data'));
  mkdirSync(dataDir, { recursive: true });
  const dbPath =
    env.TICKMARK_DB === ':memory:' ? ':memory:' : path.resolve(env.TICKMARK_DB || path.join(dataDir, 'tickmark.db'));
  if (dbPath !== ':memory:') mkdirSync(path.dirname(dbPath), { recursive: true });
  const sessionSecret = env.TICKMARK_SESSION_SECRET || persistentSecret(dataDir);
  if (sessionSecret.length < 32) throw new Error('TICKMARK_SESSION_SECRET must be at least 32 characters');
  const maxUploadBytes = intFrom(env, 'TICKMARK_MAX_UPLOAD_MB', 25, 1, 1024) * 1024 * 1024;
  const requestTimeoutMs = requestTimeoutFrom(env, maxUploadBytes);
  return {
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dbPath,
    dataDir,
    demo: env.TICKMARK_DEMO !== '0',
    secureCookies: env.TICKMARK_SECURE_COOKIES === '1',
    trustProxy: env.TICKMARK_TRUST_PROXY === '1',
    sessionSecret,
    idleTimeoutMinutes: intFrom(env, 'TICKMARK_IDLE_MINUTES', 60, 1, 24 * 60),
    maxUploadBytes,
    loginAttemptsPerIp: intFrom(env, 'TICKMARK_LOGIN_ATTEMPTS_PER_IP', 20, 1, 100_000),
    // A kept page would hide an edited template, so development renders every page afresh.
    pageCache: env.TICKMARK_PAGE_CACHE !== '0' && !developing(env),
    reloadTemplates: developing(env),
    firmCountry: countryFrom(env),
    ...methodologyDefaultsFrom(env),
    maxArchiveBytes: intFrom(env, 'TICKMARK_MAX_ARCHIVE_MB', 1024, 1, 100_000) * 1024 * 1024,
    requestTimeoutMs,
    headersTimeoutMs: headersTimeoutFrom(env, requestTimeoutMs),
    evidenceGraceHours: intFrom(env, 'TICKMARK_EVIDENCE_GRACE_HOURS', 24, 1, 24 * 365),
    logLevel: env.LOG_LEVEL || 'info',
    chromiumPath: chromiumFrom(env),
    rootDir,
  };
}
