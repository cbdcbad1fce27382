export { createJobs, type JobRun, type Jobs } from './createJobs.js';
export type { JobDefinition, JobTrigger } from './types.js';
