import { z } from 'zod';
import { temperature } from './rolesSettings.js';

const port = z.coerce.number().int().min(1).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * A token taken as given, never trimmed: trimming turned 24 spaces into "unset"
 * and so switched /admin off without a word. A blank or space-padded value is a
 * mistake (a stray quote or line break) and is refused like a short one.
 */
const credential = (name: string, { minLength = 1, printable = false } = {}) =>
  z
    .string()
    .superRefine((token, ctx) => {
      const problem =
        token.trim() === ''
          ? `is blank (only spaces or line breaks); set a token${minLength > 1 ? ` of at least ${minLength} characters` : ''} (openssl rand -hex 24) or unset ${name}`
          : token !== token.trim()
            ? 'has spaces or line breaks at its start or end; remove them'
            : token.length < minLength
              ? `must be at least ${minLength} characters; make one with: openssl rand -hex 24`
              : printable && !/^[\x21-\x7e]+$/.test(token)
                ? 'must be printable ASCII without spaces'
                : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional();

const urlList = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const urls = value
      .split(',')
      .map((part) => part.trim().replace(/\/+$/, ''))
      .filter((part) => part !== '');
    if (urls.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must list at least one URL, e.g. http://localhost:11434' });
      return z.NEVER;
    }
    for (const url of urls) {
      if (!/^https?:\/\/[^\s/]+/.test(url)) {
        ctx.addIssue({ code: 'custom', message: `"${url}" is not an http(s) URL, e.g. http://localhost:11434` });
        return z.NEVER;
      }
      const { origin, pathname } = new URL(url);
      if (pathname !== '/') {
        ctx.addIssue({ code: 'custom', message: `"${url}" has a path (${pathname}); give the Ollama server's root, e.g. ${origin}` });
        return z.NEVER;
      }
    }
    return urls;
  });

/** Discord server ids, comma-separated; each is a snowflake (17 to 20 digits). */
const guildList = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const ids = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (ids.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must list at least one Discord server id, e.g. 123456789012345678; unset it to allow every server the bot is in' });
      return z.NEVER;
    }
    const bad = ids.find((id) => !/^\d{17,20}$/.test(id));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad.slice(0, 40)}" is not a Discord server id (17 to 20 digits); with Developer Mode on, right-click the server icon and choose Copy Server ID` });
      return z.NEVER;
    }
    return [...new Set(ids)];
  });

const cron = z
  .string()
  .trim()
  .refine((value) => value.split(/\s+/).length >= 5 && value.split(/\s+/).length <= 6, {
    message: 'must be a cron expression with 5 or 6 fields, e.g. "0 3 1 * *"',
  });

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Every setting Council reads, with its default. Names are the environment variable names. */
export const envSchema = z.object({
  OLLAMA_BASE_URL: urlList.default(['http://localhost:11434']),
  MODEL_NAME: z.string().trim().min(1).default('llama3.2'),
  EMBED_MODEL: z.string().trim().min(1).default('nomic-embed-text'),
  /** A smaller model for the meeting facilitator's next-speaker picks; unset: MODEL_NAME. */
  FACILITATOR_MODEL: z.string().trim().min(1).optional(),
  TEMPERATURE: z.coerce.number().min(temperature.min).max(temperature.max).default(temperature.fallback),
  OLLAMA_NUM_PARALLEL: z.coerce.number().int().min(1).max(64).default(1),
  /** A call's own generation budget, counted from leaving the queue (time waiting for a slot is not the caller's). */
  OLLAMA_TIMEOUT_MS: z.coerce.number().int().min(100).default(300_000),
  /** No streamed chunk for this long: the call is stopped and its slot freed. */
  OLLAMA_STALL_MS: z.coerce.number().int().min(100).default(60_000),
  OLLAMA_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(4_000),
  OLLAMA_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  CONTEXT_TOKENS: z.coerce.number().int().min(256).default(4096),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(100).default(16_000),
  /** Files one message may carry (Discord, `--file`, REST `attachments`); more is refused in one line. */
  ATTACHMENT_MAX_COUNT: z.coerce.number().int().min(0).max(20).default(5),
  /** Bytes per attached file; a bigger one is refused, not cut (its text is cut to the context budget anyway). */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1_024).max(50_000_000).default(8_000_000),
  /** A JSON file of MCP servers in the usual shape ({"mcpServers": {...}}); unset: no tools. */
  MCP_CONFIG: optionalText,
  /** Bounds of one answer's tool use: model rounds whose calls run, the time for all calls, output per call and in all. */
  TOOL_MAX_STEPS: z.coerce.number().int().min(1).max(20).default(4),
  TOOL_MAX_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  TOOL_MAX_OUTPUT_CHARS: z.coerce.number().int().min(100).max(200_000).default(8_000),
  TOOL_MAX_TOTAL_OUTPUT_CHARS: z.coerce.number().int().min(100).max(1_000_000).default(24_000),
  /** Pages of an attached PDF that are read; the rest are named as not read. */
  ATTACHMENT_PDF_MAX_PAGES: z.coerce.number().int().min(1).max(1_000).default(50),
  /** How long a meeting waits for the people after its facilitator asks them a question. */
  MEETING_HUMAN_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),

  DATABASE_URL: optionalText.refine((url) => url === undefined || (/^postgres(ql)?:\/\/./.test(url) && URL.canParse(url)), {
    message: 'must be a postgres:// URL, e.g. postgres://council:secret@localhost:5432/council; unset it to use the embedded database',
  }),
  /** Unset: the checkout's ./data for its own entry points, else the per-user data folder (core/paths.ts defaultDataDir, filled in by loadConfig). */
  DATA_DIR: z.string().trim().min(1),
  ROLES_DIR: optionalText,

  LOG_LEVEL: logLevel.default('info'),

  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  /** The only servers Council answers in (DISCORD_GUILD_ID is one of them); unset: every server the bot is in. */
  DISCORD_GUILDS: guildList.optional(),
  /** In a server not in DISCORD_GUILDS the bot leaves (true) or stays silent there (false). */
  DISCORD_LEAVE_UNKNOWN_GUILDS: z.stringbool({ error: 'must be true or false' }).default(true),
  DISCORD_API_URL: optionalText,
  /** Gateway shards this process runs (internal sharding): "auto" takes Discord's recommendation, so the bot keeps running past 2,500 guilds. */
  DISCORD_SHARDS: z
    .string()
    .trim()
    .default('auto')
    .refine((value) => value === 'auto' || (/^\d+$/.test(value) && Number(value) >= 1), { message: 'must be "auto" or a shard count such as 2' })
    .transform((value) => (value === 'auto' ? ('auto' as const) : Number(value))),
  DISCORD_MAX_PER_CHANNEL: z.coerce.number().int().min(1).default(2),
  DISCORD_MAX_PER_USER: z.coerce.number().int().min(1).default(1),
  /** Requests that may wait beyond those caps, per person and per channel; one more is refused with a note. */
  DISCORD_QUEUE_PER_USER: z.coerce.number().int().min(0).default(3),
  DISCORD_QUEUE_PER_CHANNEL: z.coerce.number().int().min(0).default(10),

  ADMIN_TOKEN: credential('ADMIN_TOKEN', { minLength: 24, printable: true }),
  /** When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: credential('METRICS_TOKEN'),
  CONTROL_PORT: port.default(8000),
  /** Loopback unless told otherwise; the container image and Compose set 0.0.0.0. */
  CONTROL_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Behind exactly one reverse proxy (the nginx door): failed logins are counted per X-Forwarded-For's last address. */
  TRUST_PROXY: z.stringbool().default(false),

  MEMORY_RETENTION_DAYS: z.coerce.number().int().min(1).default(180),
  MEMORY_MIN_IMPORTANCE: z.coerce.number().min(0).max(1).default(0.3),
  /** Recall's relevance floor: a memory sharing no word with the message must be at least this similar (cosine). */
  MEMORY_MIN_SCORE: z.coerce.number().min(0).max(1).default(0.5),
  /** Recall ranking: a memory not said again for this many days counts half as recent. */
  MEMORY_HALF_LIFE_DAYS: z.coerce.number().min(1).default(30),
  HISTORY_COMPACT_AFTER_DAYS: z.coerce.number().int().min(1).default(30),
  JOB_RUN_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  JOB_MEMORY_PRUNE_CRON: cron.default('0 3 1 * *'),
  JOB_CLEANUP_CRON: cron.default('0 4 * * 0'),
  /** A meeting's runner holds it this long per renewal; a dead runner's meeting is taken over after it expires. */
  MEETING_LEASE_MS: z.coerce.number().int().min(500).max(60_000).default(30_000),
  MEETING_LEASE_RENEW_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  /** How often each process looks for meetings to take over (expired leases, interrupted meetings due a resume). */
  MEETING_SUPERVISE_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
});

export type Env = z.infer<typeof envSchema>;

/** Variables that may instead be read from a file named by NAME_FILE (Docker secrets). */
export const secretNames = ['DISCORD_TOKEN', 'ADMIN_TOKEN', 'METRICS_TOKEN', 'DATABASE_URL'] as const;
/** Secrets that switch a guard on: set but blank is a mistake, never "unset". */
export const credentialNames = ['ADMIN_TOKEN', 'METRICS_TOKEN'] as const;
