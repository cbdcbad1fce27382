/** The permission bits the stand-in enforces, as Discord numbers them. */
export const perm = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  ManageWebhooks: 1n << 29n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export type PermissionName = keyof typeof perm;

/** What the bot's role grants when nothing is taken away: exactly the set the README asks admins to grant. */
export const botBasePermissions = Object.values(perm).reduce((all, bit) => all | bit, 0n);
