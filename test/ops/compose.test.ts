import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../core/config/loadConfig.js';
import { envSchema, secretNames } from '../../core/config/schema.js';
import { packageRoot } from '../../core/paths.js';

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  ports?: string[];
  networks?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  restart?: string;
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string; memory?: string } } };
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, unknown>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
}

const read = (path: string) => readFileSync(join(packageRoot, path), 'utf8');
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as Compose;
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
  return found;
};

/** Variable names in .env.example, commented-out ones included, split at the "Compose only" heading. */
function envExample(): { app: string[]; composeOnly: string[] } {
  const app: string[] = [];
  const composeOnly: string[] = [];
  let list = app;
  for (const line of read('.env.example').split('\n')) {
    if (/^# -+ Compose only/.test(line)) list = composeOnly;
    const name = /^#? ?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
    if (name) list.push(name);
  }
  return { app, composeOnly };
}

describe('docker-compose.yml', () => {
  it('has every service of the stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['bot', 'control', 'grafana', 'nginx', 'ollama', 'ollama-pull', 'postgres', 'prometheus'].sort(),
    );
  });

  it('runs control and bot from the same image with different commands, the bot as one replica', () => {
    const control = service('control');
    const bot = service('bot');
    expect(control.build).toBe('.');
    expect(bot.build).toEqual(control.build);
    expect(bot.image).toBe(control.image);
    expect(control.command).toEqual(['node', 'dist/main.js', 'control']);
    expect(bot.command).toEqual(['node', 'dist/main.js', 'bot']);
    expect(bot.deploy?.replicas).toBe(1);
  });

  it('limits control to 4 CPUs and 4 GiB', () => {
    expect(service('control').deploy?.resources?.limits).toEqual({ cpus: '4', memory: '4G' });
  });

  it('health-checks postgres, ollama and Council, and starts Council only once its dependencies are ready', () => {
    expect(service('postgres').healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(service('ollama').healthcheck?.test).toEqual(['CMD', 'ollama', 'list']);
    for (const name of ['control', 'bot']) {
      expect(service(name).healthcheck?.test.join(' '), name).toContain('/healthz');
      expect(service(name).depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        ollama: { condition: 'service_healthy' },
        'ollama-pull': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('pulls both models once, against the ollama service', () => {
    const pull = service('ollama-pull');
    expect(pull.restart).toBe('no');
    expect(pull.image).toBe(service('ollama').image);
    expect(pull.environment?.OLLAMA_HOST).toBe('http://ollama:11434');
    expect(pull.command?.join(' ')).toMatch(/ollama pull "\$\$MODEL_NAME" && ollama pull "\$\$EMBED_MODEL"/);
    expect(pull.environment?.MODEL_NAME).toBe('${MODEL_NAME:-llama3.2}');
    expect(pull.environment?.EMBED_MODEL).toBe('${EMBED_MODEL:-nomic-embed-text}');
  });

  it('publishes no port of postgres, ollama, control or bot, and keeps postgres and ollama on the back tier only', () => {
    for (const name of ['postgres', 'ollama', 'ollama-pull', 'control', 'bot']) expect(service(name).ports, name).toBeUndefined();
    expect(service('postgres').networks).toEqual(['back-tier']);
    expect(service('control').networks?.sort()).toEqual(['back-tier', 'front-tier']);
    expect(service('nginx').networks).toEqual(['front-tier']);
    expect(service('grafana').networks).toEqual(['front-tier']);
    expect(Object.keys(compose.networks).sort()).toEqual(['back-tier', 'egress', 'front-tier']);
  });

  it('keeps the back tier internal; only ollama (model pulls) and the bot (Discord) reach the internet, through egress', () => {
    expect(compose.networks['back-tier']).toMatchObject({ internal: true });
    const onEgress = Object.entries(compose.services).filter(([, s]) => s.networks?.includes('egress')).map(([name]) => name);
    expect(onEgress.sort()).toEqual(['bot', 'ollama']);
    expect(service('ollama').networks?.sort()).toEqual(['back-tier', 'egress']);
  });

  it('puts nginx in the scale profile in front of control', () => {
    expect(service('nginx').profiles).toEqual(['scale']);
    expect(service('nginx').volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/resolver 127\.0\.0\.11/);
    expect(nginx).toMatch(/server control:8000 resolve/);
  });

  it('nginx: states the version it needs and the image pins one that has it', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/nginx >= 1\.27\.3/);
    const [major, minor, patch] = (/^nginx:(\d+)\.(\d+)\.(\d+)/.exec(service('nginx').image ?? '') ?? []).slice(1).map(Number);
    expect(major! * 1e6 + minor! * 1e3 + patch!).toBeGreaterThanOrEqual(1_027_003);
  });

  it('nginx: an app 502/503 (Ollama down, not ready) never ejects replicas, and only unreachable replicas are retried', () => {
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/server control:8000 resolve max_fails=0;/);
    for (const line of nginx.split('\n').filter((l) => /^\s*proxy_next_upstream\s/.test(l))) expect(line).not.toMatch(/http_50[0-9]/);
  });

  it('nginx: body limits equal the app\'s (64 KB, 64 MB for an import) and /metrics is not served through it', () => {
    const nginx = read('deploy/nginx.conf');
    // The app's limits, read from the code that enforces them.
    expect(read('control/createControlApp.ts')).toMatch(/maxBody = 64 \* 1024;/);
    expect(read('control/routes/admin.ts')).toMatch(/importLimit = 64 \* 1024 \* 1024;/);
    expect(nginx).toMatch(/^\s*client_max_body_size 64k;/m);
    expect(nginx).toMatch(/location = \/admin\/import \{\s*client_max_body_size 64m;/);
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
  });

  it('starts the bot by default and keeps it running without a token: it waits idle, and nothing waits on it', () => {
    const bot = service('bot');
    expect(bot.profiles).toBeUndefined();
    expect(bot.restart).toBe('unless-stopped');
    expect(bot.healthcheck?.test.join(' ')).toContain('/healthz');
    // Control's readiness never depends on the bot: no service waits for it.
    for (const [name, svc] of Object.entries(compose.services)) expect(Object.keys(svc.depends_on ?? {}), name).not.toContain('bot');
    // The bot face waits idle on an empty token instead of exiting (test/process/main.test.ts runs it).
    expect(read('main.ts')).toContain('the bot waits idle');
    // init-secrets, run for real: the token file is there and empty, and the hint says what happens and what to do.
    const dir = mkdtempSync(join(tmpdir(), 'council-secrets-'));
    try {
      const result = spawnSync('bash', [join(packageRoot, 'scripts/init-secrets'), dir], { encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(readFileSync(join(dir, 'discord_token'), 'utf8')).toBe('');
      expect(result.stdout).toContain(`next: paste the bot token into ${dir}/discord_token, then: docker compose restart bot (until then the bot waits idle)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps state in named volumes that are declared', () => {
    expect(Object.keys(compose.volumes).sort()).toEqual(['council-data', 'grafana-data', 'ollama-models', 'pgdata', 'prometheus-data']);
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (!source.startsWith('.')) expect(compose.volumes, `${name}: ${volume}`).toHaveProperty(source);
      }
    }
    expect(service('postgres').volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(service('ollama').volumes).toContain('ollama-models:/root/.ollama');
  });

  it('passes secrets as files under ./secrets, each read through a *_FILE variable by the service that mounts it', () => {
    for (const [name, secret] of Object.entries(compose.secrets)) expect(secret.file, name).toBe(`./secrets/${name}`);
    const fileVariables: Record<string, [string, string]> = {
      postgres: ['POSTGRES_PASSWORD_FILE', 'postgres_password'],
      control: ['DATABASE_URL_FILE', 'database_url'],
      bot: ['DISCORD_TOKEN_FILE', 'discord_token'],
      grafana: ['GF_SECURITY_ADMIN_PASSWORD__FILE', 'grafana_admin_password'],
    };
    for (const [name, [variable, secret]] of Object.entries(fileVariables)) {
      expect(service(name).environment?.[variable], name).toBe(`/run/secrets/${secret}`);
      expect(service(name).secrets, name).toContain(secret);
    }
    expect(service('control').environment?.ADMIN_TOKEN_FILE).toBe('/run/secrets/admin_token');
    expect(Object.keys(compose.secrets).sort()).toEqual(['admin_token', 'database_url', 'discord_token', 'grafana_admin_password', 'metrics_token', 'postgres_password']);
    expect(service('bot').environment?.DATABASE_URL_FILE).toBe('/run/secrets/database_url');
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const secret of svc.secrets ?? []) expect(compose.secrets, `${name}: ${secret}`).toHaveProperty(secret);
      for (const [variable, value] of Object.entries(svc.environment ?? {})) {
        if (value.startsWith('/run/secrets/')) expect(variable, name).toMatch(/_FILE$/);
      }
      for (const secretName of secretNames) expect(svc.environment ?? {}, name).not.toHaveProperty(secretName);
    }
    expect(read('secrets/.gitignore').split('\n')).toContain('*');
  });

  it('gives control, bot and Prometheus the same metrics_token: the app reads it as METRICS_TOKEN, Prometheus sends it as a Bearer token', () => {
    expect(compose.secrets.metrics_token).toEqual({ file: './secrets/metrics_token' });
    for (const name of ['control', 'bot']) {
      expect(service(name).environment?.METRICS_TOKEN_FILE, name).toBe('/run/secrets/metrics_token');
      expect(service(name).secrets, name).toContain('metrics_token');
    }
    expect(service('prometheus').secrets).toEqual(['metrics_token']);
    const prometheus = parse(read('prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[] }>; authorization?: { type: string; credentials_file: string } }>;
    };
    const scraped = prometheus.scrape_configs.filter((config) => config.dns_sd_configs?.some((sd) => sd.names.some((host) => host === 'control' || host === 'bot')));
    expect(scraped.map((config) => config.dns_sd_configs?.[0]?.names[0]).sort()).toEqual(['bot', 'control']);
    for (const config of scraped) {
      expect(config.authorization, config.job_name).toEqual({ type: 'Bearer', credentials_file: '/run/secrets/metrics_token' });
    }
    // The app side: METRICS_TOKEN is read through METRICS_TOKEN_FILE like the other secrets.
    expect(secretNames).toContain('METRICS_TOKEN');
    const initSecrets = read('scripts/init-secrets');
    expect(initSecrets).toMatch(/^create metrics_token "\$\(random_hex 32\)"$/m);
    expect(read('secrets/README.md')).toMatch(/^\| `metrics_token` \| control, bot \(`METRICS_TOKEN_FILE`\), prometheus/m);
  });

  it('documents every app setting in .env.example, and only app settings or compose-only ones', () => {
    const { app, composeOnly } = envExample();
    const schemaKeys = Object.keys(envSchema.shape);
    expect(app.filter((name) => !schemaKeys.includes(name))).toEqual([]);
    expect(schemaKeys.filter((name) => !app.includes(name))).toEqual([]);
    expect(composeOnly.filter((name) => schemaKeys.includes(name))).toEqual([]);
    const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] ?? ''));
    // Every compose-only variable is used by the compose file, or is one Compose itself reads.
    expect(composeOnly.filter((name) => !interpolated.has(name) && name !== 'COMPOSE_PROFILES')).toEqual([]);
    expect([...interpolated].filter((name) => !app.includes(name) && !composeOnly.includes(name))).toEqual([]);
  });

  it('names every NAME_FILE variable the app reads in the README\'s list and in .env.example', () => {
    const list = /Secrets can come from files:([^.]+)\./.exec(read('README.md'))?.[1] ?? '';
    const listed = [...list.matchAll(/`([A-Z_]+_FILE)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(secretNames.map((name) => `${name}_FILE`).sort());
    const example = read('.env.example');
    for (const name of secretNames) expect(example, name).toMatch(new RegExp(`^# .*\\(${name}_FILE\\)`, 'm'));
  });

  it('gives .env.example values the app accepts', () => {
    const values: Record<string, string> = {};
    for (const line of read('.env.example').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined && match[2] !== '') values[match[1]] = match[2];
    }
    const app = Object.fromEntries(Object.entries(values).filter(([name]) => name in envSchema.shape));
    // Through loadConfig, as the app reads them: it fills in what the file leaves commented out (DATA_DIR).
    const config = loadConfig(app);
    expect(config.OLLAMA_BASE_URL).toEqual([app.OLLAMA_BASE_URL]);
  });
});
