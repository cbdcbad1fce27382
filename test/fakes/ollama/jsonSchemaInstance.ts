type Schema = Record<string, unknown>;

/**
 * A JSON value that validates against `schema` (the subset zod 4's
 * z.toJSONSchema emits), so structured-output callers get realistic answers.
 * Enum values rotate with `variant` so, e.g., action items get different owners.
 */
export function jsonSchemaInstance(schema: Schema, root: Schema = schema, variant = 0, key = ''): unknown {
  if (typeof schema.$ref === 'string') {
    const path = schema.$ref.replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const part of path) target = (target as Schema)[part];
    return jsonSchemaInstance(target as Schema, root, variant, key);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[variant % schema.enum.length];
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) {
    const nonNull = options.find((option) => option.type !== 'null') ?? options[0]!;
    return jsonSchemaInstance(nonNull, root, variant, key);
  }
  if (Array.isArray(schema.allOf)) return jsonSchemaInstance(schema.allOf[0] as Schema, root, variant, key);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const result: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(properties)) result[name] = jsonSchemaInstance(property, root, variant, name);
      return result;
    }
    case 'array': {
      const count = Math.max(typeof schema.minItems === 'number' ? schema.minItems : 0, Math.min(2, typeof schema.maxItems === 'number' ? schema.maxItems : 2));
      return Array.from({ length: count }, (_, i) => jsonSchemaInstance((schema.items ?? {}) as Schema, root, variant + i, key));
    }
    case 'string': {
      if (schema.format === 'date') return '2026-12-01';
      if (schema.format === 'date-time') return '2026-12-01T10:00:00Z';
      const text = `Fake ${key || 'text'} ${variant + 1}`;
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return text.padEnd(min, '.');
    }
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}
