import * as err from '../rules/errors.js';
import { commandProblems } from '../rules/commands.js';
import { noContent, ok, type Route } from './route.js';

export function miscRoutes(gatewayUrl: () => string): Route[] {
  return [
    { method: 'GET', pattern: /^\/gateway\/bot$/, handle: () => ok({ url: gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }) },
    { method: 'GET', pattern: /^\/users\/@me$/, handle: ({ state }) => ok(state.bot) },
    { method: 'GET', pattern: /^\/applications\/@me$/, handle: ({ state }) => ok({ id: state.appId, name: 'Council', flags: 0, bot_public: state.botPublic, bot_require_code_grant: false, owner: state.bot }) },
    {
      // Leaving a guild: GUILD_DELETE follows, and the guild's channels refuse the bot from then on (Unknown Guild if it is not in it).
      method: 'DELETE',
      pattern: /^\/users\/@me\/guilds\/(\d+)$/,
      handle: ({ state, params, gateway }) => {
        const guild = state.guilds.get(params[0]!);
        if (!guild?.member) return err.unknownGuild();
        guild.member = false;
        gateway.dispatch('GUILD_DELETE', { id: guild.id });
        return noContent;
      },
    },
    {
      method: 'PUT',
      pattern: /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/,
      handle: ({ state, body }) => {
        const problems = commandProblems(body.json as unknown as Array<Record<string, unknown>>);
        if (problems.length > 0) return err.invalidFormBody(problems);
        const commands = (body.json as unknown as Array<Record<string, unknown>>).map((command, i) => ({ id: `${state.appId}${i}`, application_id: state.appId, version: '1', ...command }));
        state.commands.splice(0, state.commands.length, ...commands);
        return ok(commands);
      },
    },
    { method: 'GET', pattern: /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, handle: ({ state }) => ok(state.commands) },
  ];
}
