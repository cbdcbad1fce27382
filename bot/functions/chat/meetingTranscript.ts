import type { ContextTurn } from '../../../core/orchestrator/chatStream.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import type { BotContext } from '../../context.js';

/** Meetings whose thread is a conversation again: their posts are no longer turns of the meeting. */
const over = new Set(['completed', 'cancelled', 'failed']);

/**
 * In the thread of a meeting that is over, a follow-up sees what was said:
 * the turns in order, then the minutes' summary and decisions last, so they
 * are what the token budget keeps when the whole transcript does not fit.
 */
export async function meetingTranscript(ctx: BotContext, threadId: string, answering: Role): Promise<ContextTurn[]> {
  const summary = await ctx.council.meetings.inThread(threadId);
  if (!summary || !over.has(summary.status)) return [];
  const meeting = await ctx.council.getMeeting(summary.id);
  const name = (id: string | null) => (id ? (ctx.council.agents.find(id)?.name ?? id) : 'Someone');
  const turns: ContextTurn[] = [{ role: 'user', name: 'Meeting', content: `Transcript of the meeting "${meeting.title}" (${meeting.status}) held in this thread follows.` }];
  for (const turn of meeting.turns) {
    if (turn.agent === answering.id) turns.push({ role: 'assistant', content: turn.content });
    else turns.push({ role: 'user', name: turn.agent ? name(turn.agent) : (turn.speaker ?? 'Someone'), content: turn.content });
  }
  if (meeting.minutes) {
    const decisions = meeting.minutes.decisions.map((d) => `- ${d.decision}`).join('\n');
    turns.push({ role: 'user', name: 'Minutes', content: `${meeting.minutes.summary}${decisions ? `\nDecisions:\n${decisions}` : ''}` });
  }
  return turns;
}
