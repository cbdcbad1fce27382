const dayMs = 86_400_000;
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const counts: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Midnight UTC at the start of the day `days` after the day of `at`. */
const startOfDayAfter = (at: Date, days: number) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + days));

/**
 * When something a person asked to keep for a while stops being recalled, from
 * the common phrases people use: "until Friday" (the end of the coming
 * Friday; said on a Friday, the next one), "until tomorrow" (the end of
 * tomorrow), "for 3 days", "for two weeks", "for a week" (that long from now),
 * "until 2026-12-24" (the end of that day). Days end at midnight UTC: Council
 * does not know the speaker's time zone. Anything else, "until the end of the
 * sprint" included, is null: kept until someone forgets it.
 */
export function parseExpiry(text: string, now: Date): Date | null {
  const said = text.toLowerCase();
  const date = /\buntil (\d{4})-(\d{2})-(\d{2})\b/.exec(said);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
    const named = new Date(Date.UTC(year, month, day));
    // Date.UTC rolls 30 February over into March: such a date was never a day.
    if (named.getUTCMonth() !== month || named.getUTCDate() !== day) return null;
    const end = startOfDayAfter(named, 1);
    return end > now ? end : null;
  }
  if (/\buntil tomorrow\b/.test(said)) return startOfDayAfter(now, 2);
  const weekday = /\buntil (?:next )?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b/.exec(said);
  if (weekday) {
    const ahead = (weekdays.indexOf(weekday[1]!) - now.getUTCDay() + 7) % 7 || 7;
    return startOfDayAfter(now, ahead + 1);
  }
  const span = /\bfor (\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten) (day|week)s?\b/.exec(said);
  if (span) {
    const n = counts[span[1]!] ?? Number(span[1]);
    return n > 0 ? new Date(now.getTime() + n * (span[2] === 'week' ? 7 : 1) * dayMs) : null;
  }
  return null;
}
