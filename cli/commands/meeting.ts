import { CouncilError } from '../../core/errors.js';
import type { Council } from '../../core/council.js';
import type { HolderOutcome } from '../../core/meetings/coordination/awaitHolder.js';
import type { MeetingSummary } from '../../core/meetings/meetingView.js';
import { renderMinutesMarkdown } from '../../core/meetings/engine/renderMinutesMarkdown.js';
import { parseModelChoices } from '../../core/meetings/meetingModels.js';
import { cliCaller } from '../../core/memory/scope.js';
import { printMeetingEvents } from '../printMeetingEvents.js';
import { readMeetingInput } from '../readMeetingInput.js';
import { toolsOf, writeJson, type Command, type CommandContext } from '../runtime.js';

const usage = 'usage: council meeting types|start <type>|list|show <id>|pause <id>|resume <id>|cancel <id>|minutes <id> [--json]';

export const meeting: Command = async (ctx) => {
  const [sub, id] = ctx.args;
  const council = await ctx.council();
  switch (sub) {
    case 'start':
      return start(ctx, council, id);
    case 'list': {
      const list = await council.meetings.list(cliCaller(), { limit: 100 });
      if (ctx.json) return writeJson(ctx.io, list);
      if (list.length === 0) ctx.io.out.write('no meetings yet\n');
      for (const m of list) ctx.io.out.write(`${m.id}  ${m.status.padEnd(11)} ${m.type.padEnd(22)} ${m.title}\n`);
      return;
    }
    case 'show': {
      const view = await council.getMeeting(required(id, 'show'));
      if (ctx.json) return writeJson(ctx.io, view);
      ctx.io.out.write(`${view.title} (${view.type}, ${view.status})\n`);
      for (const turn of view.turns) ctx.io.out.write(`\n[${turn.topic} · ${(turn.agent ? council.agents.get(turn.agent).name : turn.speaker ?? 'someone')} · ${turn.kind}${turn.model ? ` · ${turn.model}` : ''}]\n${turn.content}\n`);
      return;
    }
    case 'pause': {
      const paused = await council.meetings.pause(required(id, 'pause'));
      if (ctx.json) return writeJson(ctx.io, paused);
      ctx.io.out.write(`meeting ${paused.id} will pause after the turn in flight; resume with: council meeting resume ${paused.id}\n`);
      return;
    }
    case 'resume': {
      const { meeting: resumed, needsRunner, holder } = await council.meetings.resume(required(id, 'resume'));
      if (needsRunner) return run(ctx, council, resumed.id);
      if (council.meetings.runner.has(resumed.id) || !holder) return carriesOn(ctx, resumed, holder);
      return resumeHeld(ctx, council, resumed);
    }
    case 'cancel': {
      const cancelled = await council.meetings.cancel(required(id, 'cancel'));
      if (ctx.json) return writeJson(ctx.io, cancelled);
      ctx.io.out.write(`meeting ${cancelled.id} ${cancelled.status === 'cancelled' ? 'cancelled' : 'stops after the turn in flight'}; its turns are kept\n`);
      return;
    }
    case 'minutes': {
      const view = await council.getMeeting(required(id, 'minutes'));
      if (!view.minutes) throw new CouncilError('bad_usage', `meeting ${view.id} is ${view.status} and has no minutes yet`);
      if (ctx.json) return writeJson(ctx.io, view.minutes);
      const attendees = [view.facilitator, ...view.participants];
      const agentNames = Object.fromEntries(attendees.map((a) => [a, council.agents.get(a).name]));
      const type = council.meetingTypes().find((t) => t.id === view.type);
      ctx.io.out.write(renderMinutesMarkdown({ title: view.title, typeName: type?.name ?? view.type, date: view.endedAt ?? view.createdAt, participants: attendees, minutes: view.minutes, agentNames }));
      return;
    }
    default:
      throw new CouncilError('bad_usage', usage);
  }
};

/** Longest wait for another runner's lease (30 s by default, renewed every 10 s) to show whether that runner is alive. */
const holderWaitMs = 40_000;

function carriesOn(ctx: CommandContext, meeting: MeetingSummary, runner: string | null): void {
  if (ctx.json) return writeJson(ctx.io, { ...meeting, runner });
  ctx.io.out.write(`meeting ${meeting.id} resumes where it paused; it carries on elsewhere, in ${runner ?? 'the process that runs it'}\n`);
}

/**
 * Another runner holds the meeting. A live one renews its lease and carries
 * on; a dead one's (a `meeting start` killed with -9) only runs out: waited
 * for with a countdown on stderr, then the meeting runs here, to its end.
 */
async function resumeHeld(ctx: CommandContext, council: Council, meeting: MeetingSummary): Promise<void> {
  const ticker = countdown(ctx.io);
  let watched: HolderOutcome;
  try {
    watched = await council.meetings.awaitHolder(meeting.id, { maxMs: holderWaitMs, signal: ctx.signal, onTick: ticker.tick });
  } finally {
    ticker.done();
  }
  if (watched.outcome === 'live') return carriesOn(ctx, meeting, watched.runner);
  if (watched.outcome === 'held') {
    throw new CouncilError('meeting_not_resumable', `meeting ${meeting.id} is still held by ${watched.runner}, which did not renew its lease in ${holderWaitMs / 1000} s; its lease runs ${Math.ceil(watched.leaseLeftMs / 1000)} s more: resume it after that`);
  }
  try {
    await run(ctx, council, meeting.id);
  } catch (error) {
    // Another process (a supervisor) took it over the moment the lease ran out: it carries on there.
    const runner = error instanceof CouncilError && error.code === 'meeting_not_resumable' ? error.details.runner : undefined;
    if (typeof runner !== 'string') throw error;
    carriesOn(ctx, meeting, runner);
  }
}

/** One line rewritten every second at a terminal; a line every 5 s in a log. */
function countdown(io: CommandContext['io']) {
  let rewriting = false;
  let lastLine = 0;
  return {
    tick({ runner, leaseLeftMs, waitLeftMs }: { runner: string; leaseLeftMs: number; waitLeftMs: number }) {
      const seconds = Math.max(0, Math.ceil(Math.min(leaseLeftMs, waitLeftMs) / 1000));
      const text = `council: ${runner} holds this meeting and has not renewed its lease; waiting ${seconds} s for it to run out, then the meeting runs here (Ctrl-C stops waiting)`;
      if (io.interactive) {
        io.err.write(`\r${text} `);
        rewriting = true;
      } else if (Date.now() - lastLine >= 5_000) {
        io.err.write(`${text}\n`);
        lastLine = Date.now();
      }
    },
    done() {
      if (rewriting) io.err.write('\n');
    },
  };
}

function required(id: string | undefined, sub: string): string {
  if (!id) throw new CouncilError('bad_usage', `usage: council meeting ${sub} <id>`);
  return id;
}

async function start(ctx: CommandContext, council: Council, type: string | undefined): Promise<void> {
  if (!type) throw new CouncilError('bad_usage', 'usage: council meeting start <type> --title T --topic X [--topic Y] [--participants a,b] [--model agent=model ...] [--independent|--no-independent] [--tools server.tool,...] [--json]');
  const topics = (ctx.flags.topic as string[] | undefined) ?? [];
  if (topics.filter((t) => t.trim()).length === 0) throw new CouncilError('no_topic', 'a meeting needs at least one topic: add --topic "..."');
  const title = typeof ctx.flags.title === 'string' ? ctx.flags.title : '';
  const participants = typeof ctx.flags.participants === 'string' ? ctx.flags.participants.split(',').map((p) => p.trim()).filter(Boolean) : undefined;
  const models = parseModelChoices((ctx.flags.model as string[] | undefined) ?? []);
  if (ctx.flags.independent && ctx.flags['no-independent']) throw new CouncilError('bad_usage', 'give --independent or --no-independent, not both');
  const independent = ctx.flags.independent ? true : ctx.flags['no-independent'] ? false : undefined;
  const created = await council.createMeeting({
    type,
    title,
    topics,
    ownerId: cliCaller().ownerId,
    models,
    ...toolsOf(ctx),
    ...(independent === undefined ? {} : { independent }),
    ...(participants ? { participants } : {}),
    ...(typeof ctx.flags.description === 'string' ? { description: ctx.flags.description } : {}),
  });
  await run(ctx, council, created.id);
}

async function run(ctx: CommandContext, council: Council, id: string): Promise<void> {
  // Lines typed (or piped) while the meeting runs are what the person says; --no-input turns that off.
  const typing = ctx.flags['no-input'] ? null : readMeetingInput(council, ctx.io, id);
  let ended;
  try {
    ended = await printMeetingEvents(council, ctx.io, council.runMeeting(id, { signal: ctx.signal }), !ctx.json);
  } finally {
    typing?.close();
  }
  const view = await council.getMeeting(id);
  if (ctx.json) writeJson(ctx.io, view);
  if (ended?.status === 'cancelled') {
    ctx.io.err.write(`council: meeting ${id} cancelled; ${view.turns.length} turns kept; a cancelled meeting cannot be resumed\n`);
    ctx.exitCode = 1;
  } else if (ended?.status === 'interrupted') {
    ctx.io.err.write(`council: meeting ${id} interrupted: ${ended.error}; ${view.turns.length} turns kept; it can be resumed: council meeting resume ${id}\n`);
    ctx.exitCode = 1;
  } else if (ended?.status === 'paused') {
    ctx.io.err.write(`council: meeting ${id} is paused; resume with: council meeting resume ${id}\n`);
  } else if (ended?.status === 'failed') {
    ctx.io.err.write(`council: meeting ${id} failed: ${ended.error}\n`);
    ctx.exitCode = 1;
  }
}
