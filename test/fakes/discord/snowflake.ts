let counter = 0n;
const epoch = 1420070400000n;

/** Discord-style ids: increasing, and parseable as timestamps by discord.js. */
export function snowflake(): string {
  counter = (counter + 1n) % 4096n;
  return (((BigInt(Date.now()) - epoch) << 22n) | counter).toString();
}
