import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandOutcomes, countedCommands } from '../../bot/functions/discord/countedCommands.js';
import { namedDiscordCodes } from '../../bot/functions/discord/discordErrors.js';
import { leaveOutcomes } from '../../bot/functions/guards/guildGate.js';
import { refusalReasons } from '../../bot/functions/guards/refusals.js';
import { authAreas, authOutcomes } from '../../control/middleware/rateLimit/index.js';
import { startControlServer, type ControlServer } from '../../control/startControlServer.js';
import { jobOutcomes } from '../../core/jobs/createJobs.js';
import { jobDefinitions } from '../../core/jobs/definitions.js';
import { createJobs } from '../../core/jobs/index.js';
import { errorCauses } from '../../core/llm/classifyOllamaError.js';
import { createLogger } from '../../core/log.js';
import { meetingTypes } from '../../core/meetings/catalogue.js';
import { fallbackReasons, pickSources } from '../../core/meetings/engine/askFacilitator.js';
import { claimOutcomes } from '../../core/meetings/coordination/meetingLease.js';
import { meetingOutcomes } from '../../core/meetings/coordination/runMeeting.js';
import { metrics } from '../../core/metrics.js';
import { chatOutcomes } from '../../core/orchestrator/chatStream.js';
import { consultOutcomes } from '../../core/orchestrator/consultStream.js';
import { extractionOutcomes } from '../../core/memory/extraction/extractMemories.js';
import { builtinToolInfos } from '../../core/tools/builtinTools.js';
import { toolCallOutcomes } from '../../core/tools/mcpTools.js';
import { packageRoot } from '../../core/paths.js';
import { botTasks, coreTasks, jobTasks } from '../../core/tasks/backgroundTasks.js';
import { installLastResort, unhandledKinds } from '../../core/tasks/lastResort.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';

type Domains = Record<string, readonly string[]>;

/** Counters that count work, not failures: a missing series only means none happened yet, and rate() reads that right. */
const throughput = ['council_llm_tokens_total', 'council_meeting_turns_total', 'council_memories_written_total', 'council_http_requests_total'];

/** `name{labels} value` lines of an exposition, labels parsed. */
function samples(exposition: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return [...exposition.matchAll(/^(\w+)(?:\{([^}]*)\})? (\S+)$/gm)].map(([, name = '', labels = '', value = '']) => ({
    name,
    labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key = '', v = '']) => [key, v])),
    value: Number(value),
  }));
}

function combinations(domains: Domains): string[] {
  let all: Array<Record<string, string>> = [{}];
  for (const [label, values] of Object.entries(domains)) all = all.flatMap((labels) => values.map((value) => ({ ...labels, [label]: value })));
  return all.map((labels) => JSON.stringify(labels, Object.keys(domains)));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('labelled failure counters at start', () => {
  let harness: BotHarness;
  let server: ControlServer;
  let uninstall: () => void;
  let exposition: string;
  let failureCounters: Record<string, { key: keyof typeof metrics; domains: Domains }>;

  // The start of a process that runs every face: last-resort handlers, Council, jobs, control plane, bot.
  beforeAll(async () => {
    const log = createLogger('silent');
    uninstall = installLastResort({ log, onFatal: () => {} });
    harness = await startBotHarness();
    const { council } = harness.tc;
    const jobs = createJobs({ council, log });
    server = await startControlServer({ council, log, botStatus: () => harness.bot.status(), jobs, port: 0, host: '127.0.0.1' });
    exposition = await (await fetch(`${server.url}/metrics`)).text();

    const jobNames = jobDefinitions(council.config).map((job) => job.name);
    failureCounters = {
      council_background_failures_total: { key: 'backgroundFailures', domains: { task: [...coreTasks, ...botTasks, ...jobNames.flatMap(jobTasks)] } },
      council_unhandled_errors_total: { key: 'unhandled', domains: { kind: unhandledKinds } },
      council_llm_errors_total: {
        key: 'llmErrors',
        domains: { model: [...new Set([council.config.MODEL_NAME, council.config.EMBED_MODEL])], backend: council.config.OLLAMA_BASE_URL, cause: errorCauses },
      },
      council_chats_total: { key: 'chats', domains: { agent: council.listAgents().map((agent) => agent.id), outcome: chatOutcomes } },
      council_consults_total: { key: 'consults', domains: { outcome: consultOutcomes } },
      council_meetings_total: { key: 'meetings', domains: { type: meetingTypes.map((type) => type.id), outcome: meetingOutcomes } },
      council_meeting_claims_total: { key: 'meetingClaims', domains: { outcome: claimOutcomes } },
      council_meeting_facilitator_fallbacks_total: { key: 'facilitatorFallbacks', domains: { reason: fallbackReasons } },
      council_meeting_facilitator_picks_total: { key: 'facilitatorPicks', domains: { source: pickSources } },
      council_discord_commands_total: { key: 'discordCommands', domains: { command: countedCommands(), outcome: commandOutcomes } },
      council_discord_errors_total: { key: 'discordErrors', domains: { code: namedDiscordCodes } },
      council_discord_refused_total: { key: 'discordRefused', domains: { reason: refusalReasons } },
      council_discord_guild_leaves_total: { key: 'discordGuildLeaves', domains: { outcome: leaveOutcomes } },
      council_auth_failures_total: { key: 'authFailures', domains: { area: authAreas, outcome: authOutcomes } },
      council_job_runs_total: { key: 'jobRuns', domains: { job_name: jobNames, outcome: jobOutcomes } },
      council_memory_extraction_total: { key: 'memoryExtraction', domains: { outcome: extractionOutcomes } },
      // The built-in tools have series from start; MCP_CONFIG's tools once listed (this process configures none).
      council_tool_calls_total: { key: 'toolCalls', domains: { tool: builtinToolInfos.map((tool) => tool.name), outcome: toolCallOutcomes } },
    };
  });

  afterAll(async () => {
    await server?.close();
    await harness?.stop();
    uninstall?.();
  });

  it('exports every series of every labelled failure counter at 0 before anything failed', () => {
    const all = samples(exposition);
    for (const [name, { domains }] of Object.entries(failureCounters)) {
      const series = all.filter((sample) => sample.name === name);
      expect(series.filter((sample) => sample.value !== 0), name).toEqual([]);
      const exported = series.map((sample) => JSON.stringify(sample.labels, Object.keys(domains)));
      expect(exported.sort(), name).toEqual(combinations(domains).sort());
    }
    // Unlabelled counters need nothing: prom-client exports them at 0 itself.
    expect(all.find((sample) => sample.name === 'council_meeting_lease_lost_total')?.value).toBe(0);
  });

  it('knows every labelled counter: each is a failure counter checked above, or counts work', () => {
    const labelled = Object.values(metrics)
      .map((metric) => metric as unknown as { name: string; labelNames: string[]; constructor: { name: string } })
      .filter((metric) => metric.constructor.name === 'Counter' && metric.labelNames.length > 0)
      .map((metric) => metric.name);
    const known = [...Object.keys(failureCounters), ...throughput];
    expect(labelled.filter((name) => !known.includes(name))).toEqual([]);
    expect(known.filter((name) => !labelled.includes(name))).toEqual([]);
    for (const [name, { key, domains }] of Object.entries(failureCounters)) {
      expect((metrics[key] as unknown as { name: string; labelNames: string[] }).name).toBe(name);
      expect([...(metrics[key] as unknown as { labelNames: string[] }).labelNames].sort(), name).toEqual(Object.keys(domains).sort());
    }
  });

  it('counts no literal label value the code does not export at 0', () => {
    const files = ['core', 'bot', 'control', 'cli'].flatMap((dir) => sourceFiles(join(packageRoot, dir))).concat(join(packageRoot, 'main.ts'));
    const strays: string[] = [];
    let literals = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [, key = '', labels = ''] of text.matchAll(/metrics\.(\w+)\.inc\(\{([^}]*)\}/g)) {
        const counter = Object.values(failureCounters).find((entry) => entry.key === key);
        if (!counter) continue;
        for (const [, label = '', value = ''] of labels.matchAll(/(\w+): '([^']*)'/g)) {
          literals++;
          if (!counter.domains[label]?.includes(value)) strays.push(`${relative(packageRoot, file)}: ${key} ${label}="${value}"`);
        }
      }
      // Meeting buttons are counted as meeting_<action>_button for the actions interactionCreate routes there.
      for (const [, actions = ''] of text.matchAll(/\/\^meeting:\(([\w|]+)\):\//g)) {
        for (const action of actions.split('|')) if (!countedCommands().includes(`meeting_${action}_button`)) strays.push(`meeting_${action}_button`);
      }
    }
    expect(literals).toBeGreaterThan(10);
    expect(strays).toEqual([]);
  });
});
