import type { Caller } from '../memory/scope.js';

/**
 * Who may answer a tool call's approval: in `requester` mode only the person
 * whose question the call serves; in `admins` mode only someone who may
 * manage the server (Discord's Manage Server). Returns the line to show
 * anyone else, or null when they may answer.
 */
export function approvalRefusal(mode: 'requester' | 'admins', requester: Caller, presser: Caller, requesterName = 'the person who asked'): string | null {
  if (presser.guildId !== requester.guildId) return 'This approval belongs to another server.';
  if (mode === 'requester') return presser.ownerId === requester.ownerId ? null : `Only ${requesterName} may approve or deny this call.`;
  return presser.manageServer ? null : 'Only members who can manage this server may approve or deny this call.';
}
