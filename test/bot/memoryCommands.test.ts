import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordCaller } from '../../core/memory/scope.js';
import type { FakeDiscord, FakeMessage, FakeUser, RecordedCall } from '../fakes/discord/index.js';
import { perm } from '../fakes/discord/rules/permissions.js';
import { isExtractionRequest, scriptExtraction, startFakeOllama } from '../fakes/ollama/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import type { TestCouncil } from '../support/openTestCouncil.js';
import { waitFor } from '../support/waitFor.js';

// What Council keeps, seen and changed from Discord on the strict stand-in: the "Why did you say this?" menu, /memory list|forget|edit|why.
let harness: BotHarness;
let ollama: Awaited<ReturnType<typeof startFakeOllama>>;
let discord: FakeDiscord;
let tc: TestCouncil;
let ana: FakeUser;
let bob: FakeUser;
let mina: FakeUser;
const script = scriptExtraction();

/** A member with no say over the server; Manage Server added for Mina. */
const member = String(perm.ViewChannel | perm.SendMessages | perm.ReadMessageHistory | perm.UseApplicationCommands);
const manageServer = String(BigInt(member) | (1n << 5n));
const memoriesJson = (memories: unknown[]) => JSON.stringify({ memories });
const menuName = 'Why did you say this?';

type Embed = { title?: string; description?: string; footer?: { text: string } };
type Reply = { content?: string; embeds?: Embed[]; components?: Array<{ components: Array<{ custom_id: string; label: string }> }>; flags?: number };

/** The answer an interaction ended with: its callback (type 4 or 7) or, when deferred, the edit of its original response. */
async function answerOf(token: string): Promise<Reply> {
  const call: RecordedCall = await discord.waitFor(
    (c) =>
      (c.path.includes(`${token}/callback`) && [4, 7].includes(Number(c.body.type))) ||
      (c.method === 'PATCH' && c.path.endsWith(`${token}/messages/@original`)),
    20_000,
  );
  return (call.path.endsWith('/callback') ? call.body.data : call.body) as Reply;
}
const deferral = (token: string) => discord.waitFor((c) => c.path.includes(`${token}/callback`));
const memoryCommand = (sub: string, options: Record<string, string | number>, user: FakeUser, memberPermissions = member) =>
  discord.sendSlashCommand({
    name: 'memory',
    user,
    memberPermissions,
    options: [{ name: sub, type: 1, options: Object.entries(options).map(([name, value]) => ({ name, type: typeof value === 'number' ? 4 : 3, value })) }],
  });
const callerFor = (user: FakeUser, name: string) => discordCaller({ userId: user.id, name, guildId: discord.guildId, placeId: discord.channelId });
const memoriesOf = (user: FakeUser) => tc.council.memory.list({ agentId: 'cto', limit: 100 }).then((rows) => rows.filter((m) => m.ownerId === `discord:${user.id}`));

beforeAll(async () => {
  harness = await startBotHarness();
  ({ ollama, discord, tc } = harness);
  ollama.setLatency({ ttftMs: 0, tokenMs: 0 });
  ollama.setResponder(script.responder);
  ana = discord.user('Ana');
  bob = discord.user('Bob');
  mina = discord.user('Mina');
});
afterAll(() => harness?.stop());

describe('memory in Discord', () => {
  let answer: FakeMessage;
  let channelFact = '';

  it('registers "Why did you say this?" as a message menu command beside /memory', async () => {
    const put = discord.calls.find((c) => c.method === 'PUT' && c.path.endsWith('/commands') && c.status === 200)!;
    const body = put.body as unknown as Array<{ name: string; type?: number; description?: string; options?: Array<{ name: string }> }>;
    expect(body.find((c) => c.name === menuName)).toMatchObject({ type: 3 });
    expect(body.find((c) => c.name === menuName)?.description ?? '').toBe('');
    expect(body.find((c) => c.name === 'memory')!.options!.map((o) => o.name)).toEqual(['list', 'forget', 'edit', 'why']);
  });

  it("the menu on a colleague's answer shows the memories its prompt held, who said each, where and when, and only what the asker may see", async () => {
    script.push(memoriesJson([{ text: 'The staging cluster lives in Dublin', kind: 'fact' }, { text: 'Ana prefers staging deploys in the morning', kind: 'preference' }]));
    await tc.council.chatWithAgent('cto', 'The staging cluster lives in Dublin, and I prefer staging deploys in the morning', { caller: callerFor(ana, 'Ana'), scope: discord.channelId });
    const kept = await waitFor('both memories of Ana', async () => {
      const rows = await memoriesOf(ana);
      return rows.length === 2 && rows;
    });
    channelFact = kept.find((m) => m.visibility === 'place')!.id;

    const since = Date.now();
    const asked = discord.sendSlashCommand({ name: 'ask', user: ana, memberPermissions: member, options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: 'Where does the staging cluster live, and when do staging deploys happen?' }] });
    await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${asked.token}/messages/@original`) && /answered/.test(String(c.body.content)), 30_000);
    answer = [...discord.state.messages.values()].find((m) => m.webhook_id && Date.parse(m.timestamp) >= since)!;
    await waitFor('the answer tagged with its Discord id', () => tc.council.conversations.agentForMessage(answer.id));

    const asBob = discord.sendMessageCommand({ name: menuName, targetMessageId: answer.id, user: bob, memberPermissions: member });
    expect((await deferral(asBob.token)).body).toMatchObject({ type: 5, data: { flags: 64 } });
    const bobSees = (await answerOf(asBob.token)).embeds![0]!;
    expect(bobSees.title).toContain('remembered for this answer');
    expect(bobSees.description).toContain('The staging cluster lives in Dublin');
    expect(bobSees.description).toContain(`<@${ana.id}> in <#${discord.channelId}>, <t:`);
    expect(bobSees.description).toContain(channelFact);
    expect(bobSees.description).not.toContain('morning');
    expect(bobSees.footer?.text).toMatch(/^1 more went into it that you may not see/);

    const anaSees = (await answerOf(discord.sendMessageCommand({ name: menuName, targetMessageId: answer.id, user: ana, memberPermissions: member }).token)).embeds![0]!;
    expect(anaSees.description).toContain('The staging cluster lives in Dublin');
    expect(anaSees.description).toContain('Ana prefers staging deploys in the morning');
    expect(anaSees.description).toContain('privately, said in');
    expect(anaSees.footer).toBeUndefined();
  });

  it('/memory why takes the message link, and the menu on a message that is no answer says so in one line', async () => {
    const link = `https://discord.com/channels/${discord.guildId}/${discord.channelId}/${answer.id}`;
    const viaLink = (await answerOf(memoryCommand('why', { link }, bob).token)).embeds![0]!;
    expect(viaLink.description).toContain('The staging cluster lives in Dublin');
    expect(viaLink.description).not.toContain('morning');
    const notALink = await answerOf(memoryCommand('why', { link: 'the answer above' }, bob).token);
    expect(notALink.content).toMatch(/^⚠️ give a message link/);

    const own = discord.sendMessage({ content: 'just a person talking', author: bob });
    const refused = await answerOf(discord.sendMessageCommand({ name: menuName, targetMessageId: own.id, user: bob, memberPermissions: member }).token);
    expect(refused.content).toMatch(/^⚠️ no answer \d+ that you may see/);
  });

  it('/memory why typed in another channel reads the link with the asker\'s rights where the message is: shown if they can read it there, refused in one line if not or if it is in another server', async () => {
    const link = `https://discord.com/channels/${discord.guildId}/${discord.channelId}/${answer.id}`;
    const elsewhere = discord.addTextChannel('elsewhere');
    const fromElsewhere = (await answerOf(discord.sendSlashCommand({ name: 'memory', user: bob, memberPermissions: member, channelId: elsewhere.id, options: [{ name: 'why', type: 1, options: [{ name: 'link', type: 3, value: link }] }] }).token)).embeds![0]!;
    // The same as asked where the answer is: the channel's fact, with nothing counted as hidden that the channel shows.
    expect(fromElsewhere.description).toContain('The staging cluster lives in Dublin');
    expect(fromElsewhere.description).toContain(channelFact);
    expect(fromElsewhere.description).not.toContain('morning');

    const otherServer = await answerOf(memoryCommand('why', { link: `https://discord.com/channels/${'9'.repeat(18)}/${discord.channelId}/${answer.id}` }, bob).token);
    expect(otherServer.content).toMatch(/^⚠️ that message is in another server/);

    // A channel the members cannot read (@everyone denied View Channel), with an answer in it.
    const hidden = discord.addTextChannel('leadership');
    hidden.permission_overwrites!.push({ id: discord.guildId, type: 0, allow: '0', deny: String(perm.ViewChannel) });
    discord.setPermission(hidden.id, 'ViewChannel', true);
    const inHidden = `https://discord.com/channels/${discord.guildId}/${hidden.id}/${answer.id}`;
    const refused = await answerOf(memoryCommand('why', { link: inHidden }, bob).token);
    expect(refused.content).toMatch(/^⚠️ you cannot read the channel of that message/);
  });

  it('a long answer split over several Discord messages: the menu and /memory why work on every part, not only the first', async () => {
    ollama.setResponder((request) => (isExtractionRequest(request) ? script.responder(request) : `Staging lives in Dublin. ${'More about staging. '.repeat(220)}`));
    try {
      const since = Date.now();
      const asked = discord.sendSlashCommand({ name: 'ask', user: ana, memberPermissions: member, options: [{ name: 'agent', type: 3, value: 'cto' }, { name: 'message', type: 3, value: 'Tell me all about where the staging cluster lives' }] });
      await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${asked.token}/messages/@original`) && /answered/.test(String(c.body.content)), 30_000);
      const parts = [...discord.state.messages.values()].filter((m) => m.webhook_id && Date.parse(m.timestamp) >= since);
      expect(parts.length).toBeGreaterThanOrEqual(3);
      await waitFor('every part tagged', async () => (await Promise.all(parts.map((p) => tc.council.conversations.agentForMessage(p.id)))).every((agent) => agent === 'cto'));
      for (const part of parts) {
        const seen = (await answerOf(discord.sendMessageCommand({ name: menuName, targetMessageId: part.id, user: bob, memberPermissions: member }).token)).embeds![0]!;
        expect(seen.description).toContain('The staging cluster lives in Dublin');
        expect(seen.description).not.toContain('morning');
      }
      const last = parts.at(-1)!;
      const viaLink = (await answerOf(memoryCommand('why', { link: `https://discord.com/channels/${discord.guildId}/${discord.channelId}/${last.id}` }, bob).token)).embeds![0]!;
      expect(viaLink.description).toContain('The staging cluster lives in Dublin');
    } finally {
      ollama.setResponder(script.responder);
    }
  });

  it('/memory list pages with ids, only to the asker, by option and by Next and Previous buttons; "channel" lists what the channel keeps', async () => {
    for (const batch of [0, 1]) {
      const services = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((name) => `${name}${batch}`);
      script.push(memoriesJson(services.map((name, i) => ({ text: `Service ${name} listens on port ${8000 + batch * 10 + i}`, kind: 'fact' }))));
      await tc.council.chatWithAgent('cto', services.map((name, i) => `service ${name} listens on port ${8000 + batch * 10 + i}`).join(', '), { caller: callerFor(ana, 'Ana'), scope: discord.channelId });
      await waitFor(`batch ${batch} kept`, async () => (await memoriesOf(ana)).length === 7 + batch * 5);
    }

    const first = memoryCommand('list', {}, ana);
    const page1 = await answerOf(first.token);
    expect(page1.flags).toBe(64);
    expect(page1.embeds![0]!.description!.match(/^\*\*\d+\.\*\*/gm)).toHaveLength(10);
    expect(page1.embeds![0]!.description).toMatch(/`[0-9a-f-]{36}`/);
    expect(page1.components![0]!.components.map((b) => b.label)).toEqual(['Next']);

    const shown = [...discord.state.messages.values()].find((m) => m.interaction_token === first.token)!;
    const clicked = discord.clickButton({ customId: page1.components![0]!.components[0]!.custom_id, messageId: shown.id, user: ana });
    const page2 = await answerOf(clicked.token);
    expect(page2.embeds![0]!.title).toContain('(page 2)');
    expect(page2.embeds![0]!.description!.match(/^\*\*\d+\.\*\*/gm)).toEqual(['**11.**', '**12.**']);
    expect(page2.components![0]!.components.map((b) => b.label)).toEqual(['Previous']);
    expect(String((discord.state.messages.get(shown.id)!.embeds as Embed[])[0]!.title)).toContain('(page 2)');

    const byOption = await answerOf(memoryCommand('list', { page: 2 }, ana).token);
    expect(byOption.embeds![0]!.description).toBe(page2.embeds![0]!.description);

    const bobsOwn = await answerOf(memoryCommand('list', { of: 'me' }, bob).token);
    expect(bobsOwn.embeds![0]!.description).toMatch(/^Nothing/);
    // The channel keeps Ana's eleven shared facts; her preference stays hers.
    const channel = await answerOf(memoryCommand('list', { of: 'channel' }, bob).token);
    expect(channel.embeds![0]!.description).toContain('Service echo1 listens on port 8014');
    expect(channel.components![0]!.components.map((b) => b.label)).toEqual(['Next']);
    const channelEnd = (await answerOf(memoryCommand('list', { of: 'channel', page: 2 }, bob).token)).embeds![0]!.description!;
    expect(channelEnd).toContain('**11.** The staging cluster lives in Dublin');
    expect(channelEnd).not.toContain('morning');
  });

  it('/memory edit: the person who said it may, another member may not, a Manage Server member may; each change audited', async () => {
    const byAna = await answerOf(memoryCommand('edit', { id: channelFact, text: 'The staging cluster lives in Dublin, zone b' }, ana).token);
    expect(byAna.content).toBe('Changed. Council now remembers: “The staging cluster lives in Dublin, zone b”');

    const byBob = await answerOf(memoryCommand('edit', { id: channelFact, text: 'The staging cluster lives in Paris' }, bob).token);
    expect(byBob.content).toMatch(/^⚠️ only the person who said it, or someone who may manage this server, may change this memory/);
    expect((await tc.council.memory.show(channelFact, callerFor(ana, 'Ana'))).content).toBe('The staging cluster lives in Dublin, zone b');

    const byMina = await answerOf(memoryCommand('edit', { id: channelFact, text: 'The staging cluster lives in Dublin, zone c' }, mina, manageServer).token);
    expect(byMina.content).toContain('zone c');
    const audit = await tc.council.audit.list(50);
    expect(audit.filter((e) => e.action === 'memory.edit' && e.target === `memory:${channelFact}`).map((e) => e.actor)).toEqual(expect.arrayContaining([`discord:${ana.id}`, `discord:${mina.id}`]));
    expect(audit.some((e) => e.action === 'memory.edit' && e.actor === `discord:${bob.id}`)).toBe(false);
  });

  it('/memory forget <id> deletes one memory (autocomplete offers yours and "all"); /memory forget all deletes everything about you', async () => {
    const ac = discord.sendAutocomplete({ name: 'memory', user: ana, options: [{ name: 'forget', type: 1, options: [{ name: 'id', type: 3, value: '', focused: true }] }] });
    const offered = (await discord.waitFor((c) => c.path.includes(`${ac.token}/callback`))).body.data as { choices: Array<{ name: string; value: string }> };
    expect(offered.choices[0]!.value).toBe('all');
    expect(offered.choices.map((c) => c.value)).toContain(channelFact);

    expect((await answerOf(memoryCommand('forget', { id: channelFact }, bob).token)).content).toMatch(/^⚠️ only the person who said it/);
    expect((await answerOf(memoryCommand('forget', { id: channelFact }, ana).token)).content).toBe('Forgotten: “The staging cluster lives in Dublin, zone c”');
    expect((await memoriesOf(ana)).map((m) => m.id)).not.toContain(channelFact);

    const all = await answerOf(memoryCommand('forget', { id: 'all' }, ana).token);
    expect(all.content).toMatch(/^Forgotten: .*11 memories/);
    expect(await memoriesOf(ana)).toEqual([]);
  });
});
