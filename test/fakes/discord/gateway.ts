import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeDiscordState } from './state.js';

/**
 * The gateway: HELLO, IDENTIFY (token checked, 4004 when wrong), READY,
 * GUILD_CREATE, heartbeat ACKs, and dispatches pushed by tests.
 */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private seq = 0;
  identified = 0;

  constructor(server: Server, private readonly state: FakeDiscordState, private readonly token: string) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  private onConnection(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as { op: number; d: { token?: string } };
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) {
        if (payload.d.token !== this.token && payload.d.token !== `Bot ${this.token}`) {
          socket.close(4004, 'Authentication failed.');
          return;
        }
        this.identified++;
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        this.send(socket, 'READY', {
          v: 10,
          user: this.state.bot,
          guilds: [{ id: this.state.guildId, unavailable: true }],
          session_id: `session-${Date.now()}`,
          resume_gateway_url: 'ws://127.0.0.1/gateway',
          shard: [0, 1],
          application: { id: this.state.appId, flags: 0 },
        });
        this.send(socket, 'GUILD_CREATE', this.state.guildPayload());
      }
    });
  }

  private send(socket: WebSocket, t: string, d: unknown): void {
    socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  dispatch(t: string, d: unknown): void {
    for (const socket of this.sockets) this.send(socket, t, d);
  }

  get connected(): number {
    return this.sockets.size;
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }
}
