import { z } from 'zod';

/** Where a setting applies; a thread inherits from its channel, a channel from its category, a category from its guild. */
export const settingScopes = ['guild', 'category', 'channel', 'thread'] as const;
export type SettingScope = (typeof settingScopes)[number];

export const replyModes = ['mentions', 'ambient', 'off'] as const;
export type ReplyMode = (typeof replyModes)[number];

const discordIds = z.array(z.string().regex(/^\d{17,20}$/, 'must be Discord ids (17 to 20 digits)')).max(100);
const agentIds = z.array(z.string().min(1).max(100)).min(1).max(64);
const modelName = z.string().trim().min(1).max(200);
/** `<server>.<tool>`, pinned to its definition's sha256 once allowed (`<server>.<tool>@<hash>`). */
export const toolEntry = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}\.[^\s@]{1,100}(@[0-9a-f]{64})?$/i, 'must be tool names as <server>.<tool> (council tools lists them)');

/** never: allowed tools run at once; requester: the person who asked approves each call; admins: someone who may manage the server does. */
export const toolApprovalModes = ['never', 'requester', 'admins'] as const;
export type ToolApprovalMode = (typeof toolApprovalModes)[number];

/**
 * What one place (a guild, category, channel or thread) may set; a key it
 * leaves unset is inherited. Names are the keys of /council settings, the
 * REST body and the CLI.
 */
export const placeSettingsShape = {
  /** mentions: only when a colleague is addressed (name, mention, reply); ambient: the default colleague answers any message; off: slash commands only. */
  replyMode: z.enum(replyModes),
  /** The colleagues who may answer here (unset: all of them). */
  colleagues: agentIds,
  /** Who answers in ambient mode. */
  defaultColleague: z.string().min(1).max(100),
  /** Take in facts from what people say without replying (memory only). */
  listening: z.boolean(),
  /** The model colleagues answer with here (unset: MODEL_NAME). */
  model: modelName,
  /** A model per colleague, e.g. {"qa_engineer": "qwen3:14b"}; beats `model`. */
  models: z.record(z.string().min(1).max(100), modelName),
  /** Only these roles / people may use Council here (unset: everyone); a block wins over an allow. */
  allowRoles: discordIds,
  allowUsers: discordIds,
  blockRoles: discordIds,
  blockUsers: discordIds,
  /** Answers in progress at once per channel and per person, and how many more may wait (DISCORD_MAX_PER_*, DISCORD_QUEUE_PER_*). */
  maxPerChannel: z.number().int().min(1).max(64),
  maxPerUser: z.number().int().min(1).max(64),
  queuePerChannel: z.number().int().min(0).max(1000),
  queuePerUser: z.number().int().min(0).max(100),
  /** Who a meeting started here invites when /meeting start names no participants (unset: the meeting type's). */
  meetingParticipants: agentIds.max(12),
  /** The tools colleagues may call here (unset: none); each is pinned to its definition when allowed. */
  tools: z.array(toolEntry).max(64),
  /** Who approves each tool call here: never (allowed is enough), requester, admins (Manage Server). */
  toolApproval: z.enum(toolApprovalModes),
  /** How long a call waits for its approval before it is not run. */
  toolApprovalSeconds: z.number().int().min(10).max(3600),
};

export const placeSettingsSchema = z.object(placeSettingsShape).partial().strict();
export type PlaceSettings = z.infer<typeof placeSettingsSchema>;
export type SettingKey = keyof typeof placeSettingsShape;
export const settingKeys = Object.keys(placeSettingsShape) as SettingKey[];

/** A change: the keys to set, `null` clears a key (it inherits again); any other key is refused. */
export const settingsPatchSchema = z
  .object(Object.fromEntries(settingKeys.map((key) => [key, placeSettingsShape[key].nullable()])) as { [K in SettingKey]: z.ZodNullable<(typeof placeSettingsShape)[K]> })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** The settings in force at a place: every key has a value (a default where nobody set one). */
export interface EffectiveSettings {
  replyMode: ReplyMode;
  /** null: every colleague. */
  colleagues: string[] | null;
  defaultColleague: string | null;
  listening: boolean;
  /** null: the configured MODEL_NAME. */
  model: string | null;
  models: Record<string, string>;
  allowRoles: string[];
  allowUsers: string[];
  blockRoles: string[];
  blockUsers: string[];
  maxPerChannel: number;
  maxPerUser: number;
  queuePerChannel: number;
  queuePerUser: number;
  /** null: the meeting type's participants. */
  meetingParticipants: string[] | null;
  tools: string[];
  toolApproval: ToolApprovalMode;
  toolApprovalSeconds: number;
}
