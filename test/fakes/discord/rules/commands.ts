import type { FieldError } from './errors.js';

const chatInputName = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/**
 * What Discord refuses when commands are registered: a slash command (type 1)
 * has a lowercase name without spaces and a 1-100 character description; a
 * user or message menu command (types 2, 3) has a 1-32 character name (spaces
 * and capitals allowed), no description and no options.
 */
export function commandProblems(commands: Array<Record<string, unknown>>): FieldError[] {
  const problems: FieldError[] = [];
  for (const [i, command] of commands.entries()) {
    const type = Number(command.type ?? 1);
    const name = String(command.name ?? '');
    const description = typeof command.description === 'string' ? command.description : '';
    if (type === 1) {
      if (!chatInputName.test(name)) problems.push({ path: [i, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
      if (description.length < 1 || description.length > 100) problems.push({ path: [i, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    } else {
      if (name.length < 1 || name.length > 32) problems.push({ path: [i, 'name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 32 in length.' });
      if (description !== '') problems.push({ path: [i, 'description'], code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', message: 'Context menu commands cannot have description' });
      if (Array.isArray(command.options) && command.options.length > 0) problems.push({ path: [i, 'options'], code: 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS', message: 'Context menu commands cannot have options' });
    }
  }
  return problems;
}
