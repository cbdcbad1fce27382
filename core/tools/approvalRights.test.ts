import { describe, expect, it } from 'vitest';
import { discordCaller } from '../memory/scope.js';
import { approvalRefusal } from './approvalRights.js';

const guild = '100000000000000001';
const dana = discordCaller({ userId: '400000000000000001', name: 'Dana', guildId: guild, placeId: '1' });
const sam = discordCaller({ userId: '400000000000000002', name: 'Sam', guildId: guild, placeId: '1' });
const admin = discordCaller({ userId: '400000000000000003', name: 'Ada', guildId: guild, placeId: '1', manageServer: true });

describe('who may answer a tool approval', () => {
  it('requester mode: only the person who asked', () => {
    expect(approvalRefusal('requester', dana, dana)).toBeNull();
    expect(approvalRefusal('requester', dana, sam, 'Dana')).toBe('Only Dana may approve or deny this call.');
    expect(approvalRefusal('requester', dana, admin, 'Dana')).toBe('Only Dana may approve or deny this call.');
  });

  it('admins mode: only Manage Server, not even the person who asked', () => {
    expect(approvalRefusal('admins', dana, admin)).toBeNull();
    expect(approvalRefusal('admins', dana, dana)).toBe('Only members who can manage this server may approve or deny this call.');
  });

  it('nobody from another server', () => {
    const elsewhere = discordCaller({ userId: '400000000000000003', name: 'Ada', guildId: '100000000000000009', placeId: '1', manageServer: true });
    expect(approvalRefusal('admins', dana, elsewhere)).toBe('This approval belongs to another server.');
  });
});
