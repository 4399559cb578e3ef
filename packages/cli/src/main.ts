#!/usr/bin/env node
import { runCli } from "./cli.js";
import { removeTempFiles } from "./files.js";

// Ctrl-C: files are only ever replaced by rename, so removing our in-flight temp files is all the
// cleanup there is; 130 is the shell's code for "interrupted".
process.once("SIGINT", () => {
  removeTempFiles();
  process.exit(130);
});

process.exitCode = await runCli(process.argv.slice(2));
