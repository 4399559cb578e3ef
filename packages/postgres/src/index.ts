export type { SqlExecutor, SqlRows } from "./executor.js";
export { PgliteExecutor, PgPoolExecutor } from "./executor.js";
export { validateTableName } from "./identifier.js";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";
export { HNSW_LIMITS, type PgConnection, type PgDreamPoolOptions, type PgPoolSettings } from "./options.js";
export { PgDreamPool } from "./pg-dream-pool.js";
export { describeTarget, redactConnectionString } from "./redact.js";
export type { PgRetrieveOptions } from "./retrieve-options.js";
