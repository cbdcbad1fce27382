export { loadConfig, type Config } from './loadConfig.js';
export { envSchema } from './schema.js';
