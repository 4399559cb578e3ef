export { CLI_MODES, type CliMode } from "./args.js";
export { EXIT_ERROR, errorLine, runCli } from "./cli.js";
export {
  DEMO_COHERENCE_THRESHOLD,
  type DemoInput,
  type DemoOptions,
  type DemoReport,
  resolveDemoOptions,
  runDemo,
} from "./demo.js";
export {
  DEFAULT_DREAM_SETTINGS,
  DEMO_DIMS,
  type DreamSettings,
  descend,
  evaluateObjective,
} from "./dream.js";
export { demoHtml } from "./html/demo-html.js";
export { type TensorImage, tensorImage } from "./image.js";
export { type CliIo, processIo } from "./io.js";
export { demoText } from "./text-report.js";
