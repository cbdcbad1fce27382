import { removedTurnText, type ForgetResult } from '../../../core/memory/forgetUser.js';

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The /memory forget reply: what was removed, each thing counted once, and what became of meeting turns. */
export function forgetSummary(result: ForgetResult): string {
  const parts = [
    counted(result.conversations, 'conversation'),
    counted(result.messages, 'message'),
    counted(result.memories, 'memory', 'memories'),
    counted(result.meetingTurns + result.meetingInbox, 'meeting message'),
    ...(result.actionItems > 0 ? [counted(result.actionItems, 'action item')] : []),
  ];
  const turns = result.meetingTurns > 0 ? `\nYour turns in meetings keep their place and now read “${removedTurnText}”.` : '';
  return `Forgotten: ${parts.join(', ')}.${turns}`;
}
