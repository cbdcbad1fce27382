import type { Client } from 'discord.js';

/** How to make the application private, for the log and /council doctor. */
export function publicBotWarning(allowlisted: boolean): string {
  const guard = allowlisted ? 'DISCORD_GUILDS keeps Council silent there and it leaves, but it is still added' : 'and Council would answer there on your models (set DISCORD_GUILDS)';
  return (
    `The bot is public: anyone with its invite link can add it to their server, ${guard}. ` +
    'Switch it off in the Developer Portal: your application → Bot → Public Bot. ' +
    'If Discord refuses ("Private application cannot have a default authorization link"), first set Installation → Install Link to None.'
  );
}

/** GET /applications/@me's bot_public; undefined when Discord did not say. */
export async function fetchBotPublic(client: Client): Promise<boolean | undefined> {
  const application = await client.application?.fetch();
  return application?.botPublic ?? undefined;
}
