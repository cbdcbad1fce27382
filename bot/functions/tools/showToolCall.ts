import { AttachmentBuilder, type TextChannel, type ThreadChannel } from 'discord.js';
import type { CouncilEvent } from '../../../core/events.js';
import type { Logger } from '../../../core/log.js';
import { notRunReasons } from '../../../core/tools/toolCallRecord.js';
import { noteDiscordError } from '../discord/discordErrors.js';

type ToolCallEvent = Extract<CouncilEvent, { type: 'tool_call' }>;

/** One line per call: who called what, and how it ended. */
export function toolCallLine(agentName: string, event: ToolCallEvent): string {
  const ran = event.outcome === 'ok' || event.outcome === 'error' || event.outcome === 'timeout';
  const how = ran ? `${event.outcome === 'ok' ? 'ok' : event.outcome === 'timeout' ? 'timed out' : 'failed'} · ${event.durationMs} ms${event.outputChars > 0 ? ` · ${event.outputChars.toLocaleString('en')} characters` : ''}` : (notRunReasons[event.outcome] ?? event.outcome);
  return `🔧 ${agentName} called \`${event.tool}\` · ${how}`;
}

/** What the tool said, as a file: collapsed in Discord, opened on demand. */
export function toolOutputFile(tool: string, output: string): AttachmentBuilder {
  return new AttachmentBuilder(Buffer.from(output), { name: `${tool.replace(/[^\w.-]/g, '_')}.txt` });
}

/** Posts the line, with the output as a file; a failure to post is logged, never fatal. */
export async function showToolCall(channel: TextChannel | ThreadChannel, agentName: string, event: ToolCallEvent, log: Logger): Promise<void> {
  const files = event.output ? [toolOutputFile(event.tool, event.output)] : [];
  await channel.send({ content: toolCallLine(agentName, event), files, allowedMentions: { parse: [] } }).catch((error: unknown) => noteDiscordError(log, 'tool call line', error));
}
