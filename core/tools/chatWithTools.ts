import { CouncilError } from '../errors.js';
import type { LlmClient } from '../llm/llmClient.js';
import type { ChatChunk, ChatRequest, LlmTool } from '../llm/types.js';
import type { ToolInfo } from './mcpTools.js';
import { runToolLoop, type ShownToolCall } from './runToolLoop.js';
import type { ToolCallRecord } from './toolCallRecord.js';
import type { ToolsService, ToolUse } from './toolsService.js';

export type ToolingChunk = ChatChunk | { toolCall: ShownToolCall };

const asLlmTool = (tool: ToolInfo): LlmTool => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: (tool.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } },
});

/**
 * One model answer for a chat, a consult or a meeting turn alike: with no
 * tools allowed it is the plain streamed call; otherwise the bounded tool
 * loop over the tools the grant offers now, each call recorded. Lines about
 * allowed tools that are not offered (a changed definition, a server gone, a
 * model that cannot call tools) end the answer. Returns the calls made.
 */
export async function* chatWithTools(llm: LlmClient, tools: ToolsService | undefined, request: ChatRequest, use: ToolUse | null): AsyncGenerator<ToolingChunk, ToolCallRecord[]> {
  if (!tools || !use || use.grant.entries.length === 0) {
    yield* llm.streamChat(request);
    return [];
  }
  const found = await tools.offer(use.grant);
  const notices = [...found.notices];
  let offered = found.offered;
  const model = request.model ?? llm.model;
  if (offered.length > 0 && !(await llm.canCallTools(model))) {
    notices.push(`The model ${model} cannot call tools, so this answer uses none.`);
    offered = [];
  }
  const noted = (content: string) => notices.reduce((text, notice) => `${text}${text === '' ? '' : '\n\n'}_${notice}_`, content);
  if (offered.length === 0) {
    for await (const chunk of llm.streamChat(request)) {
      if ('token' in chunk) yield chunk;
      else {
        const content = noted(chunk.done.content);
        if (content !== chunk.done.content) yield { token: content.slice(chunk.done.content.length) };
        yield { done: { ...chunk.done, content } };
      }
    }
    return [];
  }
  const loop = runToolLoop({
    messages: request.messages,
    tools: offered.map(asLlmTool),
    bounds: tools.bounds,
    ...(request.signal ? { signal: request.signal } : {}),
    ports: {
      model: (messages, offer, signal) => llm.streamChat({ ...request, messages, tools: offer, signal }),
      approve: (call, signal) => tools.approve(call, use, signal),
      run: (name, args, signal) => tools.run(name, args, use, signal),
    },
  });
  for (;;) {
    const next = await loop.next();
    if (next.done) {
      const { content, stats, calls } = next.value;
      if (!stats) throw new CouncilError('ollama_error', 'Ollama ended the stream without a final message');
      const final = noted(content);
      if (final !== content) yield { token: final.slice(content.length) };
      yield { done: { ...stats, content: final } };
      return calls;
    }
    if ('toolCall' in next.value) {
      const { output: _output, ...record } = next.value.toolCall;
      await tools.record(record, use);
    }
    yield next.value;
  }
}
