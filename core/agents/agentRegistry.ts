import { closeMatches } from '../closeMatches.js';
import { CouncilError } from '../errors.js';
import type { Role } from '../roles/roleSchema.js';

export interface AgentSummary {
  id: string;
  name: string;
  title: string;
  category: Role['category'];
  temperature: number;
  expertise: string[];
  avatar: string | null;
}

/** The loaded personas, looked up by id, alias or name, with "did you mean" errors. */
export class AgentRegistry {
  private readonly byKey = new Map<string, Role>();

  constructor(
    readonly roles: readonly Role[],
    private readonly defaultTemperature: number,
  ) {
    for (const role of roles) {
      for (const key of [role.id, role.name, ...(role.aliases ?? [])]) this.byKey.set(normalise(key), role);
    }
  }

  get ids(): string[] {
    return this.roles.map((role) => role.id);
  }

  find(idOrName: string): Role | undefined {
    return this.byKey.get(normalise(idOrName));
  }

  get(idOrName: string): Role {
    const role = this.find(idOrName);
    if (role) return role;
    const suggestions = closeMatches(idOrName, this.ids);
    const hint = suggestions.length > 0 ? `did you mean ${suggestions.join(', ')}?` : 'run `council agents` to list them';
    throw new CouncilError('unknown_agent', `unknown agent "${idOrName}"; ${hint}`, { details: { agent: idOrName, suggestions } });
  }

  temperatureOf(role: Role): number {
    return role.temperature ?? this.defaultTemperature;
  }

  summaries(): AgentSummary[] {
    return this.roles.map((role) => ({
      id: role.id,
      name: role.name,
      title: role.title,
      category: role.category,
      temperature: this.temperatureOf(role),
      expertise: role.expertise,
      avatar: role.avatar ?? null,
    }));
  }
}

function normalise(key: string): string {
  return key.trim().toLowerCase().replace(/[\s-]+/g, '_');
}
