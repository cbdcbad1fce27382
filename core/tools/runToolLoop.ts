import { createHash } from 'node:crypto';
import type { CallStats } from '../events.js';
import type { ChatChunk, LlmMessage, LlmTool, ModelToolCall } from '../llm/types.js';
import { quoteToolOutput } from './quoteToolOutput.js';
import type { ToolApproval, ToolCallOutcome, ToolCallRecord } from './toolCallRecord.js';

export interface ToolBounds {
  /** Model rounds whose tool calls are run; calls asked for after them are not. */
  maxSteps: number;
  /** Time for all tool calls of one answer, from the first model call; a call still running then is stopped. */
  maxMs: number;
  /** Characters of one call's output the model sees. */
  maxOutputChars: number;
  /** Characters of output over every call of one answer. */
  maxTotalOutputChars: number;
}

/** What the loop does with the world: the model, the person who approves, the tools. A test wires them to scripts. */
export interface ToolLoopPorts {
  /** One model call over these messages, offering these tools (none: it must answer in words). */
  model(messages: LlmMessage[], tools: LlmTool[], signal: AbortSignal): AsyncIterable<ChatChunk>;
  /** `granted` when the grant itself is the approval; otherwise whoever must approve is asked. */
  approve(call: { tool: string; arguments: Record<string, unknown> }, signal: AbortSignal): Promise<ToolApproval>;
  /** Runs a tool; throws when it failed to run. */
  run(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<{ text: string; isError: boolean }>;
  /** Milliseconds on a monotonic clock (performance.now by default). */
  now?: () => number;
}

/** One call as the faces show it: the stored record plus what the tool said (capped), which is never stored. */
export type ShownToolCall = ToolCallRecord & { output: string | null };

export type ToolLoopChunk = { token: string } | { toolCall: ShownToolCall };

export interface ToolLoopResult {
  content: string;
  /** The answer's model calls added up (tokens, time); null when the model sent no final message. */
  stats: CallStats | null;
  calls: ToolCallRecord[];
  /** The line said when a bound stopped the tools, else null. */
  bound: string | null;
}

const argumentsCap = 4_000;

const notApproved = { denied: 'denied', timeout: 'approval_timeout', unavailable: 'no_approver' } as const satisfies Record<string, ToolCallOutcome>;

/** What the model is told of a call nobody approved; a call nobody could be asked about is not to be tried again either. */
const notApprovedLine: Record<keyof typeof notApproved, (tool: string) => string> = {
  denied: (tool) => `error: a person denied this call of ${tool}; do not call it again for this answer`,
  timeout: (tool) => `error: nobody approved this call of ${tool} in time; it was not run`,
  unavailable: (tool) => `error: ${tool} needs a person's approval, and nobody could be asked here; it was not run: do not call it again for this answer`,
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An answer in which the model may call tools: it is offered the allowed
 * tools only; each call it makes is checked (offered, arguments an object),
 * approved, run, and its output handed back as a quoted, capped, untrusted
 * `tool` message; then the model is asked again. Nothing the tools return
 * changes what is offered. Bounds on steps, time and output: once one is
 * reached, further calls are not run, the model answers without tools, and
 * the answer ends with one line saying which bound stopped it.
 */
export async function* runToolLoop(input: { messages: LlmMessage[]; tools: LlmTool[]; bounds: ToolBounds; ports: ToolLoopPorts; signal?: AbortSignal }): AsyncGenerator<ToolLoopChunk, ToolLoopResult> {
  const { bounds, ports, tools } = input;
  const now = ports.now ?? (() => performance.now());
  const signal = input.signal ?? new AbortController().signal;
  const offered = new Set(tools.map((tool) => tool.function.name));
  const messages = [...input.messages];
  const calls: ToolCallRecord[] = [];
  const started = now();
  let content = '';
  let stats: CallStats | null = null;
  let bound: string | null = null;
  let outputUsed = 0;
  let steps = 0;
  const left = () => bounds.maxMs - (now() - started);
  const stop = (line: string) => {
    bound ??= line;
  };

  for (;;) {
    const offer = bound === null ? tools : [];
    let said = '';
    let asked: ModelToolCall[] = [];
    for await (const chunk of ports.model(messages, offer, signal)) {
      if ('token' in chunk) {
        // Words from an earlier round stay; a new round starts a new paragraph.
        const token = said === '' && content !== '' ? `\n\n${chunk.token}` : chunk.token;
        said += chunk.token;
        content += token;
        yield { token };
      } else {
        stats = addStats(stats, chunk.done);
        asked = chunk.toolCalls ?? [];
      }
    }
    if (asked.length === 0 || offer.length === 0) {
      // A model that calls tools it was not offered (none, after a bound) is not run: its words are the answer.
      for (const call of asked) yield* ended(call, 'skipped', null, 0, null);
      break;
    }
    steps++;
    if (steps > bounds.maxSteps) stop(`Tools stopped: ${bounds.maxSteps} tool step${bounds.maxSteps === 1 ? ' is' : 's are'} the limit for one answer.`);
    messages.push({ role: 'assistant', content: said, tool_calls: asked.map((call) => ({ function: { name: call.name, arguments: isObject(call.arguments) ? call.arguments : {} } })) });
    for (const call of asked) {
      const result = yield* oneCall(call);
      messages.push({ role: 'tool', tool_name: call.name, content: result });
    }
    if (bound !== null) messages.push({ role: 'system', content: `${bound} Answer now from what you have; no more tools can be called.` });
  }
  if (bound !== null) {
    const line = `${content === '' ? '' : '\n\n'}_${bound}_`;
    content += line;
    yield { token: line };
  }
  return { content, stats, calls, bound };

  async function* ended(call: ModelToolCall, outcome: ToolCallOutcome, approval: ToolApproval | null, durationMs: number, output: { text: string; shown: string } | null): AsyncGenerator<ToolLoopChunk> {
    const record: ToolCallRecord = {
      tool: call.name,
      arguments: cappedArguments(call.arguments),
      outcome,
      approval,
      durationMs: Math.round(durationMs),
      outputChars: output?.shown.length ?? 0,
      outputSha256: output ? createHash('sha256').update(output.text).digest('hex') : null,
    };
    calls.push(record);
    yield { toolCall: { ...record, output: output?.shown ?? null } };
  }

  /** One call checked, approved, run; returns what the model is told. */
  async function* oneCall(call: ModelToolCall): AsyncGenerator<ToolLoopChunk, string> {
    if (bound !== null) {
      yield* ended(call, 'skipped', null, 0, null);
      return `not run: ${bound}`;
    }
    if (!offered.has(call.name)) {
      yield* ended(call, 'unknown_tool', null, 0, null);
      return `error: no tool named ${JSON.stringify(call.name.slice(0, 100))} is available to you; you may call only: ${[...offered].join(', ')}`;
    }
    if (!isObject(call.arguments)) {
      yield* ended(call, 'bad_arguments', null, 0, null);
      return `error: the arguments of ${call.name} must be a JSON object matching its parameters; it was not run`;
    }
    if (left() <= 0) {
      stop(`Tools stopped: ${Math.round(bounds.maxMs / 1000)} s is the time limit for tool calls in one answer.`);
      yield* ended(call, 'skipped', null, 0, null);
      return `not run: ${bound}`;
    }
    const approval = await ports.approve({ tool: call.name, arguments: call.arguments }, signal);
    if (approval === 'denied' || approval === 'timeout' || approval === 'unavailable') {
      yield* ended(call, notApproved[approval], approval, 0, null);
      return notApprovedLine[approval](call.name);
    }
    const deadline = AbortSignal.timeout(Math.max(1, Math.ceil(left())));
    const began = now();
    try {
      const result = await ports.run(call.name, call.arguments, AbortSignal.any([signal, deadline]));
      const room = Math.min(bounds.maxOutputChars, bounds.maxTotalOutputChars - outputUsed);
      const shown = result.text.length > room ? result.text.slice(0, Math.max(0, room)) : result.text;
      outputUsed += shown.length;
      if (result.text.length > room && room < bounds.maxOutputChars) stop(`Tools stopped: ${bounds.maxTotalOutputChars.toLocaleString('en')} characters of tool output is the limit for one answer.`);
      yield* ended(call, result.isError ? 'error' : 'ok', approval, now() - began, { text: result.text, shown });
      return quoteToolOutput(call.name, result.text, Math.max(0, room));
    } catch (error) {
      if (signal.aborted) throw error;
      const timedOut = deadline.aborted;
      if (timedOut) stop(`Tools stopped: ${Math.round(bounds.maxMs / 1000)} s is the time limit for tool calls in one answer.`);
      yield* ended(call, timedOut ? 'timeout' : 'error', approval, now() - began, null);
      return timedOut ? `error: ${call.name} did not finish in time` : `error: ${call.name} failed: ${(error as Error).message.split('\n', 1)[0]!.slice(0, 200)}`;
    }
  }
}

function cappedArguments(value: unknown): unknown {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > argumentsCap ? { cut: `${text.slice(0, argumentsCap)}…` } : value;
}

function addStats(sum: CallStats | null, next: CallStats & { content?: string }): CallStats {
  const { content: _content, ...stats } = next;
  if (!sum) return stats;
  const add = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));
  return { ...stats, promptTokens: add(sum.promptTokens, stats.promptTokens), completionTokens: add(sum.completionTokens, stats.completionTokens), durationMs: sum.durationMs + stats.durationMs, ttftMs: sum.ttftMs ?? stats.ttftMs };
}
