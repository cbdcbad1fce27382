import type { Config } from '../config/index.js';
import { defaultRolesDir } from '../paths.js';
import { loadRoles } from '../roles/loadRoles.js';
import { AgentRegistry } from './agentRegistry.js';

/** The personas from roles/ without a database: what listing agents needs, and all it loads. */
export async function loadAgentRegistry(config: Pick<Config, 'ROLES_DIR' | 'TEMPERATURE'>): Promise<AgentRegistry> {
  return new AgentRegistry(await loadRoles(config.ROLES_DIR ?? defaultRolesDir), config.TEMPERATURE);
}
