interface Waiter {
  channel: string;
  user: string;
  start: () => void;
}

/**
 * Caps concurrent generations per channel and per user; beyond the caps,
 * requests wait first-come first-served, each starting as soon as both its
 * channel and its user have room.
 */
export class GenerationGate {
  private readonly byChannel = new Map<string, number>();
  private readonly byUser = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly perChannel: number,
    private readonly perUser: number,
  ) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(channel: string, user: string, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((start) => {
      this.waiting.push({ channel, user, start });
      this.pump();
    });
    try {
      return await task();
    } finally {
      this.byChannel.set(channel, (this.byChannel.get(channel) ?? 1) - 1);
      this.byUser.set(user, (this.byUser.get(user) ?? 1) - 1);
      this.pump();
    }
  }

  private pump(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const waiter = this.waiting[i]!;
      if ((this.byChannel.get(waiter.channel) ?? 0) < this.perChannel && (this.byUser.get(waiter.user) ?? 0) < this.perUser) {
        this.waiting.splice(i, 1);
        this.byChannel.set(waiter.channel, (this.byChannel.get(waiter.channel) ?? 0) + 1);
        this.byUser.set(waiter.user, (this.byUser.get(waiter.user) ?? 0) + 1);
        waiter.start();
      } else {
        i++;
      }
    }
  }
}
