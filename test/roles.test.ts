import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CouncilError } from '../core/errors.js';
import { defaultRolesDir } from '../core/paths.js';
import { loadRoles } from '../core/roles/loadRoles.js';

describe('roles/', () => {
  it('holds 29 distinct personas: 8 developers, 6 managers, 5 architects, 10 specialists', async () => {
    const roles = await loadRoles(defaultRolesDir);
    expect(roles).toHaveLength(29);
    const count = (category: string) => roles.filter((r) => r.category === category).length;
    expect([count('developer'), count('manager'), count('architect'), count('specialist')]).toEqual([8, 6, 5, 10]);
    expect(new Set(roles.map((r) => r.name)).size).toBe(29);
    for (const role of roles) {
      expect(role.file).toBe(`${role.id}.md`);
      expect(role.prompt).toContain(role.name);
      expect(role.prompt.length).toBeGreaterThan(600);
    }
    expect(readdirSync(defaultRolesDir).filter((f) => f.endsWith('.md'))).toHaveLength(29);
  });

  const good = `---\nid: tester\nname: Test Person\ntitle: Tester\ncategory: specialist\nexpertise: [testing]\n---\nYou are Test Person, a tester who tests everything twice and says so.\n`;
  const cases: Array<[string, string, RegExp]> = [
    ['bad category', good.replace('category: specialist', 'category: wizard'), /tester\.md: category/],
    ['missing name', good.replace('name: Test Person\n', ''), /tester\.md: name/],
    ['bad YAML', good.replace('expertise: [testing]', 'expertise: [testing'), /tester\.md: front matter is not valid YAML/],
    ['unknown field', good.replace('title: Tester', 'title: Tester\nmood: grumpy'), /tester\.md: mood/],
    ['no front matter', 'You are nobody.', /tester\.md: front matter/],
    ['empty prompt', good.replace(/---\nYou are[\s\S]*$/, '---\n'), /tester\.md: body/],
  ];
  it.each(cases)('rejects a role file with %s, naming the file and the field', async (_label, text, pattern) => {
    const dir = mkdtempSync(join(tmpdir(), 'council-roles-'));
    writeFileSync(join(dir, 'tester.md'), text);
    const error = await loadRoles(dir).catch((e) => e);
    expect(error).toBeInstanceOf(CouncilError);
    expect(error.code).toBe('bad_role');
    expect(error.message).toMatch(pattern);
  });

  it('rejects two files with the same id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'council-roles-'));
    writeFileSync(join(dir, 'a.md'), good);
    writeFileSync(join(dir, 'b.md'), good);
    await expect(loadRoles(dir)).rejects.toThrow(/b\.md: id "tester" is also used by a\.md/);
  });
});
