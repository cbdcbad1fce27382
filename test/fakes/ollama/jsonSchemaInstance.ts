type Schema = Record<string, unknown>;

interface Context {
  root: Schema;
  /** Words from the request, so generated strings read as answers to it. */
  topic: string;
  /** Rotates enum values and branch-free choices, so e.g. action items get different owners. */
  variant: number;
  depth: number;
  key: string;
}

/** Past this depth, recursive schemas get only what they require, so generation ends. */
const maxDepth = 6;

/**
 * A JSON value that validates against `schema`: the subset of JSON Schema
 * that structured-output callers send, in particular what zod 4's
 * z.toJSONSchema emits ($ref/$defs, anyOf/oneOf, nullable types, const,
 * enum, min/max bounds, string formats, tuples). Deterministic for a given
 * `variant`.
 */
export function jsonSchemaInstance(schema: unknown, options: { topic?: string; variant?: number } = {}): unknown {
  const root = isSchema(schema) ? schema : {};
  return instance(root, { root, topic: options.topic ?? '', variant: options.variant ?? 0, depth: 0, key: '' });
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function instance(schemaValue: unknown, ctx: Context): unknown {
  if (schemaValue === true || !isSchema(schemaValue)) return text(ctx, {});
  const schema = schemaValue;
  if (typeof schema.$ref === 'string') return instance(resolve(schema.$ref, ctx.root), ctx);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[ctx.variant % schema.enum.length];
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const chosen = branches.find((branch) => !(isSchema(branch) && branch.type === 'null')) ?? branches[0];
    return instance(isSchema(chosen) ? { ...withoutKeys(schema, ['anyOf', 'oneOf']), ...chosen } : chosen, ctx);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return instance(mergeAll(schema), ctx);
  switch (typeOf(schema)) {
    case 'object':
      return object(schema, ctx);
    case 'array':
      return array(schema, ctx);
    case 'string':
      return text(ctx, schema);
    case 'integer':
      return number(schema, true);
    case 'number':
      return number(schema, false);
    case 'boolean':
      return ctx.variant % 2 === 0;
    case 'null':
      return null;
    default:
      return text(ctx, schema);
  }
}

/** Follows a local JSON pointer such as "#/$defs/__schema0" (or "#" for the root). */
function resolve(ref: string, root: Schema): unknown {
  if (!ref.startsWith('#')) throw new Error(`only local $ref is supported, got ${ref}`);
  let target: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    target = isSchema(target) ? target[key] : undefined;
  }
  if (target === undefined) throw new Error(`$ref ${ref} points nowhere`);
  return target;
}

function withoutKeys(schema: Schema, keys: string[]): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

/** allOf of object schemas: one object with every part's properties and requirements. */
function mergeAll(schema: Schema): Schema {
  const merged: Schema = withoutKeys(schema, ['allOf']);
  for (const part of schema.allOf as unknown[]) {
    if (!isSchema(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') merged.properties = { ...(merged.properties as Schema), ...(value as Schema) };
      else if (key === 'required') merged.required = [...new Set([...((merged.required as string[]) ?? []), ...(value as string[])])];
      else merged[key] ??= value;
    }
  }
  return merged;
}

function typeOf(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return (schema.type.find((type) => type !== 'null') ?? 'null') as string;
  if (typeof schema.type === 'string') return schema.type;
  if (isSchema(schema.properties) || isSchema(schema.additionalProperties)) return 'object';
  if (schema.items !== undefined || Array.isArray(schema.prefixItems)) return 'array';
  return undefined;
}

function object(schema: Schema, ctx: Context): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const result: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    if (ctx.depth >= maxDepth && !required.has(name)) continue;
    result[name] = instance(property, { ...ctx, depth: ctx.depth + 1, key: name });
  }
  for (const name of required) {
    if (!(name in result)) result[name] = text({ ...ctx, key: name }, {});
  }
  return result;
}

function array(schema: Schema, ctx: Context): unknown[] {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Number.POSITIVE_INFINITY;
  const wanted = ctx.depth >= maxDepth ? 0 : 1 + (ctx.variant % 2);
  const restAllowed = schema.items !== false;
  const count = restAllowed ? Math.min(max, Math.max(min, prefix.length, wanted)) : prefix.length;
  return Array.from({ length: count }, (_, i) =>
    instance(i < prefix.length ? prefix[i] : schema.items, { ...ctx, depth: ctx.depth + 1, variant: ctx.variant + i }),
  );
}

const formatted: Record<string, string> = {
  date: '2026-12-01',
  'date-time': '2026-12-01T10:00:00Z',
  time: '10:00:00',
  duration: 'P1D',
  email: 'someone@example.com',
  uuid: '8f14e45f-ceea-467f-a0e6-1b1a2a3b4c5d',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  hostname: 'example.com',
};

/** A readable string naming the field and the request's topic, fitted to the length and format asked for. */
function text(ctx: Context, schema: Schema): string {
  const known = typeof schema.format === 'string' ? formatted[schema.format] : undefined;
  if (known !== undefined) return known;
  const label = ctx.key ? ctx.key.replace(/[_-]+/g, ' ').replace(/^./, (c) => c.toUpperCase()) : 'Note';
  const base = ctx.topic ? `${label} ${ctx.variant + 1} on ${ctx.topic}` : `${label} ${ctx.variant + 1}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const candidate = base.padEnd(min, '.').slice(0, max);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    return [candidate, label, String(ctx.variant + 1), 'x'].find((option) => pattern.test(option)) ?? candidate;
  }
  return candidate;
}

function number(schema: Schema, integer: boolean): number {
  const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : undefined;
  const low = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const high = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : typeof schema.maximum === 'number' ? schema.maximum : undefined;
  const lowOpen = typeof schema.exclusiveMinimum === 'number';
  const highOpen = typeof schema.exclusiveMaximum === 'number';
  if (step === undefined) {
    if (low !== undefined && high !== undefined) return (low + high) / 2;
    if (low !== undefined) return lowOpen ? low + 0.5 : low;
    if (high !== undefined) return highOpen ? high - 0.5 : Math.min(high, 1);
    return 1;
  }
  if (low === undefined && high === undefined) return step;
  let value = low !== undefined ? Math.ceil(low / step) * step : Math.floor(high! / step) * step;
  if (low !== undefined && lowOpen && value <= low) value += step;
  if (low === undefined && highOpen && value >= high!) value -= step;
  return value;
}
