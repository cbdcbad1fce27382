import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeDiscordState } from './state.js';

const messageContentIntent = 1 << 15;

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Dispatches kept for RESUME: a resumed session gets what it missed. */
  sent: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | null;
}

/**
 * The gateway: HELLO, IDENTIFY (token checked: 4004; a privileged intent the
 * portal has not enabled: 4014), READY, GUILD_CREATE, heartbeat ACKs,
 * RESUME with replay of missed dispatches, and the server-side RECONNECT
 * (op 7) and INVALID_SESSION (op 9) a test can trigger. Without the Message
 * Content intent, message content reaches the bot blank, as on Discord.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  identified = 0;
  resumed = 0;

  constructor(server: Server, private readonly state: FakeDiscordState, private readonly token: string, private readonly url: () => string) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  private onConnection(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number; d: { token?: string; intents?: number; session_id?: string; seq?: number } };
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) this.identify(socket, payload.d);
      if (payload.op === 6) this.resume(socket, payload.d);
    });
  }

  private authorised(token: string | undefined): boolean {
    return token === this.token || token === `Bot ${this.token}`;
  }

  private identify(socket: WebSocket, d: { token?: string; intents?: number }): void {
    if (!this.authorised(d.token)) return void socket.close(4004, 'Authentication failed.');
    const intents = Number(d.intents ?? 0);
    if (intents & messageContentIntent && !this.state.messageContentIntent) return void socket.close(4014, 'Disallowed intent(s).');
    this.identified++;
    const session: Session = { id: `session-${this.identified}-${Date.now()}`, intents, seq: 0, sent: [], socket };
    this.sessions.set(session.id, session);
    socket.on('close', () => {
      if (session.socket === socket) session.socket = null;
    });
    this.send(session, 'READY', {
      v: 10,
      user: this.state.bot,
      guilds: this.memberGuilds().map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url(),
      shard: [0, 1],
      application: { id: this.state.appId, flags: 0 },
    });
    for (const id of this.memberGuilds()) this.send(session, 'GUILD_CREATE', this.state.guildPayload(id));
  }

  private memberGuilds(): string[] {
    return [...this.state.guilds.values()].filter((guild) => guild.member).map((guild) => guild.id);
  }

  private resume(socket: WebSocket, d: { token?: string; session_id?: string; seq?: number }): void {
    const session = d.session_id ? this.sessions.get(d.session_id) : undefined;
    if (!this.authorised(d.token)) return void socket.close(4004, 'Authentication failed.');
    if (!session) return void socket.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
    this.resumed++;
    session.socket = socket;
    socket.on('close', () => {
      if (session.socket === socket) session.socket = null;
    });
    for (const missed of session.sent.filter((m) => m.s > Number(d.seq ?? 0))) socket.send(JSON.stringify({ op: 0, ...missed }));
    this.send(session, 'RESUMED', {});
  }

  private send(session: Session, t: string, d: unknown): void {
    const payload = { t, s: ++session.seq, d: this.visible(session, t, d) };
    session.sent.push(payload);
    if (session.sent.length > 1000) session.sent.shift();
    if (session.socket?.readyState === 1) session.socket.send(JSON.stringify({ op: 0, ...payload }));
  }

  /** Message content is blank without the intent, except the bot's own messages and ones that mention it. */
  private visible(session: Session, t: string, d: unknown): unknown {
    if ((t !== 'MESSAGE_CREATE' && t !== 'MESSAGE_UPDATE') || session.intents & messageContentIntent) return d;
    const message = d as { author?: { id: string }; mentions?: Array<{ id: string }> };
    if (message.author?.id === this.state.bot.id || message.mentions?.some((m) => m.id === this.state.bot.id)) return d;
    return { ...message, content: '', embeds: [], attachments: [], components: [] };
  }

  /** Nothing of a guild the bot is not in reaches it, as on Discord. */
  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    if (guildId && this.state.guilds.get(guildId)?.member === false) return;
    for (const session of this.sessions.values()) if (session.socket) this.send(session, t, d);
  }

  /** op 7: the client should reconnect and RESUME. */
  requestReconnect(): void {
    for (const session of this.sessions.values()) session.socket?.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  /** op 9: the session is gone (resumable false: the client must IDENTIFY again). */
  invalidateSessions(resumable = false): void {
    for (const session of this.sessions.values()) {
      session.socket?.send(JSON.stringify({ op: 9, d: resumable, s: null, t: null }));
      if (!resumable) this.sessions.delete(session.id);
    }
  }

  /** Drops every connection without a close frame, as a network cut would; sessions stay resumable. */
  dropConnections(): void {
    for (const client of this.wss.clients) client.terminate();
  }

  get connected(): number {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === 1).length;
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
