import { ok, type Route } from './route.js';

export function miscRoutes(gatewayUrl: () => string): Route[] {
  return [
    { method: 'GET', pattern: /^\/gateway\/bot$/, handle: () => ok({ url: gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }) },
    { method: 'GET', pattern: /^\/users\/@me$/, handle: ({ state }) => ok(state.bot) },
    { method: 'GET', pattern: /^\/applications\/@me$/, handle: ({ state }) => ok({ id: state.appId, name: 'Council', flags: 0, bot_public: true, owner: state.bot }) },
    {
      method: 'PUT',
      pattern: /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/,
      handle: ({ state, body }) => {
        const commands = (body.json as unknown as Array<Record<string, unknown>>).map((command, i) => ({ id: `${state.appId}${i}`, application_id: state.appId, version: '1', ...command }));
        state.commands.splice(0, state.commands.length, ...commands);
        return ok(commands);
      },
    },
    { method: 'GET', pattern: /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, handle: ({ state }) => ok(state.commands) },
  ];
}
