// @dreampool/pool/node: snapshot file I/O for Node (the core package imports no node:* module).
export { MAX_SNAPSHOT_FILE_BYTES, readSnapshotFile, writeSnapshotFile } from "./node/snapshot-file.js";
