// The subset of cli-progress 3.12 this package uses (the package ships no types).
declare module "cli-progress" {
  interface Options {
    stream?: NodeJS.WritableStream;
    format?: string;
    barCompleteChar?: string;
    barIncompleteChar?: string;
    hideCursor?: boolean;
    clearOnComplete?: boolean;
  }
  class SingleBar {
    constructor(options: Options, preset?: Options);
    start(total: number, start: number, payload?: Record<string, string | number>): void;
    update(value: number, payload?: Record<string, string | number>): void;
    stop(): void;
  }
  const Presets: { shades_classic: Options };
  const cliProgress: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default cliProgress;
  export { Presets, SingleBar };
}
