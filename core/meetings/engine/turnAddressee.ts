import type { AgentRegistry } from '../../agents/agentRegistry.js';
import { escapeRegExp, namePattern, namesOf } from './humanTurns.js';

/**
 * The colleague a persona's turn speaks to directly, or null. Personas name
 * colleagues all the time ("as Quinn said"), so a mention is not enough: the
 * name must be called out, as `@name`, opening a sentence before a comma or
 * colon ("Quinn, how would you test it?"), or closing a question after a comma
 * ("what breaks first, Quinn?"). The speaker and anyone outside `colleagues`
 * are never addressed; the earliest call wins.
 */
export function turnAddressee(text: string, speaker: string, colleagues: readonly string[], agents: AgentRegistry): string | null {
  let best: { id: string; at: number } | null = null;
  for (const id of colleagues) {
    if (id === speaker) continue;
    for (const name of namesOf(id, agents)) {
      const n = escapeRegExp(name);
      const called = namePattern(`(?<![\\p{L}\\p{N}_])@${n}(?![\\p{L}\\p{N}_])|(?:^|[.!?]\\s+)${n}\\s*[,:]|,\\s*${n}\\s*\\?`).exec(text);
      if (called && (best === null || called.index < best.at)) best = { id, at: called.index };
    }
  }
  return best?.id ?? null;
}
