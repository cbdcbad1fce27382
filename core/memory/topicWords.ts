/**
 * Verbs and fillers a question shares with almost any memory ("which
 * Kubernetes version do we run?" and "the billing service runs Postgres 14"
 * share only "run"); Postgres' English stop words already drop "which", "do",
 * "we". Listed inflected, since this runs before stemming.
 */
const generic = new Set(
  [
    'be am is are was were been being do does did doing done have has had having',
    'run runs ran running use uses used using make makes made making get gets got getting go goes went going gone',
    'like likes liked look looks looked looking happen happens happened happening need needs needed want wants wanted',
    'know knows knew known think thinks thought say says said tell tells told mean means meant',
    'remind reminds remember remembers remembered recall recalls keep keeps kept',
    'now currently usually often again still ever actually please exactly anymore',
  ]
    .join(' ')
    .split(' '),
);

/**
 * The words of a recall query that say what it is about: the query without
 * generic verbs and fillers, so that a memory is relevant only when it shares
 * one of them. Recall falls back to every word when none is left ("what do we
 * run?"), since then the generic words are all the query has.
 */
export function topicWords(text: string): string {
  return (text.match(/[\p{L}\p{N}](?:[\p{L}\p{N}'.-]*[\p{L}\p{N}])?/gu) ?? []).filter((word) => !generic.has(word.toLowerCase())).join(' ');
}
