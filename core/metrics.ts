import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The one registry every face exports. Metric names are a contract with
 * grafana/ and prometheus/ (a test checks the dashboard against /metrics).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const llmBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160];
/** Dense around the TimeToFirstTokenSlow alert's 20 s threshold, so a p95 of 21 s reads as 21-25 s, not 39 s. */
const ttftBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 12.5, 15, 17.5, 20, 22.5, 25, 30, 40, 60, 120];

export const metrics = {
  backgroundFailures: new Counter({
    name: 'council_background_failures_total',
    help: 'Background tasks (timers, flushes, webhook calls, meeting runs) that failed; each is logged once',
    labelNames: ['task'] as const,
    registers: [registry],
  }),
  unhandled: new Counter({
    name: 'council_unhandled_errors_total',
    help: 'Errors that reached the last-resort process handlers (rejection, exception, postgres_socket_race); each is logged once',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  databaseWritable: new Gauge({
    name: 'council_database_writable',
    help: '1 when the last write probe succeeded (0: disk full or database refusing writes)',
    registers: [registry],
  }),
  llmRequestDuration: new Histogram({
    name: 'council_llm_request_duration_seconds',
    help: 'Wall time of one LLM call, from leaving the queue to the last token',
    labelNames: ['model', 'backend', 'kind'] as const,
    buckets: llmBuckets,
    registers: [registry],
  }),
  llmTimeToFirstToken: new Histogram({
    name: 'council_llm_time_to_first_token_seconds',
    help: 'Time from sending a chat call to its first streamed token',
    labelNames: ['model', 'backend'] as const,
    buckets: ttftBuckets,
    registers: [registry],
  }),
  llmQueueWait: new Histogram({
    name: 'council_llm_queue_wait_seconds',
    help: 'Time an LLM call waited for a free backend slot',
    labelNames: ['backend'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [registry],
  }),
  llmTokens: new Counter({
    name: 'council_llm_tokens_total',
    help: 'Tokens processed, as Ollama reports them',
    labelNames: ['model', 'backend', 'direction'] as const,
    registers: [registry],
  }),
  llmInFlight: new Gauge({
    name: 'council_llm_in_flight',
    help: 'LLM calls running on a backend now',
    labelNames: ['backend'] as const,
    registers: [registry],
  }),
  llmQueued: new Gauge({
    name: 'council_llm_queued',
    help: 'LLM calls waiting for a backend slot',
    labelNames: ['backend'] as const,
    registers: [registry],
  }),
  llmErrors: new Counter({
    name: 'council_llm_errors_total',
    help: 'Failed LLM calls by cause',
    labelNames: ['model', 'backend', 'cause'] as const,
    registers: [registry],
  }),
  backendUp: new Gauge({
    name: 'council_ollama_backend_up',
    help: '1 when the Ollama backend answered its last probe with the model present',
    labelNames: ['backend'] as const,
    registers: [registry],
  }),
  toolCalls: new Counter({
    name: 'council_tool_calls_total',
    help: 'Tool calls (MCP and built-in) by tool (<server>.<tool>) and outcome',
    labelNames: ['tool', 'outcome'] as const,
    registers: [registry],
  }),
  toolCallDuration: new Histogram({
    name: 'council_tool_call_duration_seconds',
    help: 'Time a tool call ran, from the call to its output (approval wait not included)',
    labelNames: ['tool'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  }),
  chats: new Counter({
    name: 'council_chats_total',
    help: 'One-agent chats by agent and outcome',
    labelNames: ['agent', 'outcome'] as const,
    registers: [registry],
  }),
  consults: new Counter({
    name: 'council_consults_total',
    help: 'Multi-agent consults by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  meetings: new Counter({
    name: 'council_meetings_total',
    help: 'Meetings ended, by type and outcome (completed, cancelled, interrupted, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  }),
  meetingsRunning: new Gauge({
    name: 'council_meetings_running',
    help: 'Meetings running in this process',
    registers: [registry],
  }),
  meetingClaims: new Counter({
    name: 'council_meeting_claims_total',
    help: 'Attempts to claim a meeting for this process by outcome (claimed, takeover: from a runner whose lease expired, refused: another process holds it)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  meetingLeaseLost: new Counter({
    name: 'council_meeting_lease_lost_total',
    help: 'Meetings this process stopped running because its lease was lost (taken over, or not renewable)',
    registers: [registry],
  }),
  meetingTakeoverSeconds: new Histogram({
    name: 'council_meeting_takeover_seconds',
    help: 'Seconds from a dead runner\'s last lease renewal to another process taking its meeting over',
    buckets: [1, 5, 10, 20, 30, 40, 50, 60, 90, 120, 300],
    registers: [registry],
  }),
  meetingTurns: new Counter({
    name: 'council_meeting_turns_total',
    help: 'Meeting turns stored, by meeting type',
    labelNames: ['type'] as const,
    registers: [registry],
  }),
  facilitatorFallbacks: new Counter({
    name: 'council_meeting_facilitator_fallbacks_total',
    help: 'Facilitator picks replaced by the deterministic rule, by reason (invalid_json, invalid_choice, repeat_speaker, call_failed)',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  facilitatorPicks: new Counter({
    name: 'council_meeting_facilitator_picks_total',
    help: 'Next-speaker decisions in meetings, by source (model, fallback, addressed, rule: decided without a facilitator call)',
    labelNames: ['source'] as const,
    registers: [registry],
  }),
  meetingParticipation: new Histogram({
    name: 'council_meeting_participation_ratio',
    help: 'Per completed meeting: participant-topic slots in which the participant was heard, over all slots (1 = everyone heard on every topic)',
    labelNames: ['type'] as const,
    buckets: [0.25, 0.5, 0.75, 0.9, 0.99, 1],
    registers: [registry],
  }),
  discordCommands: new Counter({
    name: 'council_discord_commands_total',
    help: 'Discord slash commands and mentions handled, by command and outcome',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  }),
  // Registered by the bot when it starts (registerBotMetrics): a control-only process exports no Discord series.
  discordConnected: new Gauge({
    name: 'council_discord_connected',
    help: '1 while the Discord gateway connection is ready (0 while it reconnects or resumes)',
    registers: [],
  }),
  discordErrors: new Counter({
    name: 'council_discord_errors_total',
    help: 'Discord API calls that failed, by Discord error code (or HTTP status, or network); each is logged once',
    labelNames: ['code'] as const,
    registers: [],
  }),
  discordRefused: new Counter({
    name: 'council_discord_refused_total',
    help: 'Discord interactions and messages Council declined, by reason (guild_not_allowed: a server not in DISCORD_GUILDS; blocked, not_allowed, colleague_disabled, reply_off: the settings of the place)',
    labelNames: ['reason'] as const,
    registers: [],
  }),
  discordGuildLeaves: new Counter({
    name: 'council_discord_guild_leaves_total',
    help: 'Servers not in DISCORD_GUILDS the bot left (left) or failed to leave (failed)',
    labelNames: ['outcome'] as const,
    registers: [],
  }),
  memoriesStored: new Gauge({
    name: 'council_memories_stored',
    help: 'Long-term memories in the database, refreshed on scrape',
    registers: [registry],
  }),
  authFailures: new Counter({
    name: 'council_auth_failures_total',
    help: 'Requests refused for a missing or wrong admin token, API key, metrics token or local token, by area (rejected), or for too many such failures (throttled)',
    labelNames: ['area', 'outcome'] as const,
    registers: [registry],
  }),
  memoriesWritten: new Counter({
    name: 'council_memories_written_total',
    help: 'Long-term memories written, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  memoryExtraction: new Counter({
    name: 'council_memory_extraction_total',
    help: 'Memory extractions after an exchange, by outcome (extracted; empty, invalid or failed: fell back to the rules; paste: kept as a reference)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  // Label `job_name`, not `job`: Prometheus would rename `job` to `exported_job` beside its own target label.
  jobRuns: new Counter({
    name: 'council_job_runs_total',
    help: 'Maintenance job runs by job_name and outcome (ok, failed, skipped: already running here, elsewhere: another process took the slot, unrecorded: failed with no job_runs row written)',
    labelNames: ['job_name', 'outcome'] as const,
    registers: [registry],
  }),
  jobDuration: new Histogram({
    name: 'council_job_duration_seconds',
    help: 'Maintenance job run time',
    labelNames: ['job_name'] as const,
    buckets: [0.01, 0.1, 1, 5, 30, 120, 600],
    registers: [registry],
  }),
  jobLastSuccess: new Gauge({
    name: 'council_job_last_success_timestamp_seconds',
    help: 'Unix time of the last successful run of a job',
    labelNames: ['job_name'] as const,
    registers: [registry],
  }),
  httpRequests: new Counter({
    name: 'council_http_requests_total',
    help: 'Control plane HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: 'council_http_request_duration_seconds',
    help: 'Control plane HTTP request time by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  }),
};

/**
 * Exports every combination of the given label values at 0. A failure
 * counter whose series appeared only with its first failure would hide that
 * failure from increase() and rate(), which need a sample before it. Each owner
 * calls this where it starts, with the constant its own code counts with.
 */
export function exportAtZero<T extends string>(counter: Counter<T>, values: { readonly [K in T]: readonly string[] }): void {
  let combinations: Array<Partial<Record<T, string>>> = [{}];
  for (const [name, list] of Object.entries(values) as Array<[T, readonly string[]]>) {
    combinations = combinations.flatMap((labels) => list.map((value) => ({ ...labels, [name]: value })));
  }
  for (const labels of combinations) counter.inc(labels, 0);
}

/** Adds the Discord series to the registry; only a process that runs the bot calls this. */
export function registerBotMetrics(): void {
  const series: Array<[string, Counter | Gauge]> = [
    ['council_discord_connected', metrics.discordConnected],
    ['council_discord_errors_total', metrics.discordErrors],
    ['council_discord_refused_total', metrics.discordRefused],
    ['council_discord_guild_leaves_total', metrics.discordGuildLeaves],
  ];
  for (const [name, metric] of series) {
    if (!registry.getSingleMetric(name)) registry.registerMetric(metric);
  }
}

/** Called before each scrape so gauges backed by the database are fresh. */
const collectors: Array<() => Promise<void>> = [];
export function onScrape(collect: () => Promise<void>): () => void {
  collectors.push(collect);
  return () => {
    const index = collectors.indexOf(collect);
    if (index >= 0) collectors.splice(index, 1);
  };
}
export async function renderMetrics(): Promise<string> {
  await Promise.allSettled(collectors.map((collect) => collect()));
  return registry.metrics();
}
