import { CouncilError } from '../errors.js';
import type { BackupRecord } from './records.js';

export interface ImportLimits {
  /** Agent ids that exist (roles/). */
  agents: ReadonlySet<string>;
  /** Embedding size per embedding model already stored, so recall keeps comparing like with like. */
  storedDims: ReadonlyMap<string, number>;
  /** Longest memory text (a memory goes into prompts). */
  maxMemoryChars: number;
  /** Longest message, turn or inbox text. */
  maxTextChars: number;
}

export interface NumberedRecord {
  line: number;
  record: BackupRecord;
}

const maxEmbeddingDims = 8_192;

/** Checks every record before anything is written; the first problem names its line and stops the import. */
export function validateRecords(records: NumberedRecord[], limits: ImportLimits): void {
  const dims = new Map(limits.storedDims);
  const fail = (line: number, problem: string): never => {
    throw new CouncilError('bad_import', `line ${line}: ${problem}; nothing was imported`);
  };
  const agent = (line: number, id: string | null | undefined, field: string) => {
    if (id && !limits.agents.has(id)) fail(line, `${field} "${id.slice(0, 60)}" is not a known agent (run \`council agents\`)`);
  };
  const length = (line: number, value: string, max: number, field: string) => {
    if (value.length > max) fail(line, `${field} has ${value.length} characters; the limit is ${max}`);
  };
  for (const { line, record } of records) {
    switch (record.type) {
      case 'conversation':
        agent(line, record.agentId, 'agentId');
        break;
      case 'message':
        length(line, record.content, limits.maxTextChars, 'content');
        break;
      case 'memory': {
        agent(line, record.agentId, 'agentId');
        length(line, record.content, limits.maxMemoryChars, 'memory content');
        if (record.embedding) {
          const size = record.embedding.length;
          if (size === 0) fail(line, 'embedding is empty; use null for a memory without one');
          if (size > maxEmbeddingDims) fail(line, `embedding has ${size} dimensions; the most Council stores is ${maxEmbeddingDims}`);
          if (!record.embedding.every(Number.isFinite)) fail(line, 'embedding holds a value that is not a finite number');
          const model = record.embeddingModel ?? '';
          const expected = dims.get(model);
          if (expected !== undefined && expected !== size) fail(line, `embedding has ${size} dimensions but memories from ${model || 'this model'} have ${expected}`);
          dims.set(model, size);
        }
        break;
      }
      case 'meeting':
        agent(line, record.facilitator, 'facilitator');
        record.participants.forEach((id) => agent(line, id, 'participant'));
        Object.keys(record.models).forEach((id) => agent(line, id, 'models'));
        length(line, record.title, 500, 'title');
        break;
      case 'meeting_turn':
        agent(line, record.agentId, 'agentId');
        length(line, record.content, limits.maxTextChars, 'content');
        break;
      case 'meeting_inbox':
        length(line, record.text, limits.maxTextChars, 'text');
        break;
      case 'decision':
        length(line, record.text, limits.maxTextChars, 'text');
        break;
      case 'action_item':
        if (record.ownerKind === 'agent') agent(line, record.owner, 'owner');
        length(line, record.task, limits.maxTextChars, 'task');
        break;
      case 'setting': {
        const { colleagues = [], meetingParticipants = [], defaultColleague, models = {} } = record.values;
        [...colleagues, ...meetingParticipants, ...Object.keys(models)].forEach((id) => agent(line, id, 'colleague'));
        agent(line, defaultColleague, 'defaultColleague');
        break;
      }
      case 'meeting_topic':
      case 'message_memory':
        break;
    }
  }
}
