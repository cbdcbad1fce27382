import { describe, expect, it } from 'vitest';
import { defaultSettings, resolveSettings } from '../../../core/settings/resolveSettings.js';
import { renderSettings } from './renderSettings.js';

const defaults = defaultSettings({ DISCORD_MAX_PER_CHANNEL: 2, DISCORD_MAX_PER_USER: 1, DISCORD_QUEUE_PER_CHANNEL: 10, DISCORD_QUEUE_PER_USER: 3 });

describe('renderSettings', () => {
  it('shows tools by name with the start of their pin, the approval mode, and none by default', () => {
    expect(renderSettings(resolveSettings([], defaults), 'here')).toContain('• **tools**: none · default\n• **toolApproval**: admins · default');
    const view = resolveSettings([{ scope: 'channel', id: '1', values: { tools: [`council.search_decisions@${'ab12cd34'.repeat(8)}`], toolApproval: 'requester' } }], defaults);
    const text = renderSettings(view, 'here');
    expect(text).toContain('• **tools**: `council.search_decisions` (pinned ab12cd34) · channel');
    expect(text).toContain('• **toolApproval**: requester · channel');
  });
});
