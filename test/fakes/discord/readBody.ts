import type { IncomingMessage } from 'node:http';

export interface ParsedBody {
  json: Record<string, unknown>;
  files: Array<{ name: string; content: string }>;
}

/** JSON or multipart (payload_json + files[n]) bodies, as discord.js sends them. */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: ParsedBody['files'] = [];
    let json: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') json = JSON.parse(String(value));
      else if (typeof value !== 'string') files.push({ name: value.name, content: await value.text() });
    }
    return { json, files };
  }
  return { json: JSON.parse(raw.toString('utf8') || '{}'), files: [] };
}
