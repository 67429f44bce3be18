/**
 * A child process of {@link ProcessorPool}: loads one processor module (argv[2]), runs its optional
 * `warmUp(argv[3])`, then answers `{ id, data }` with `{ id, result }` or `{ id, error }` over IPC.
 * The module has bull's sandboxed-processor shape, so the Redis transport runs the same file.
 */
interface ProcessorModule {
  default: (job: { data: unknown }) => Promise<unknown>;
  warmUp?: (data: unknown) => Promise<void>;
}

interface Request {
  id: number;
  data: unknown;
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const processor = require(process.argv[2]) as ProcessorModule;
  await processor.warmUp?.(JSON.parse(process.argv[3] ?? 'null'));
  process.on('message', (req: Request) => {
    processor
      .default({ data: req.data })
      .then((result) => process.send?.({ id: req.id, result }))
      .catch((err: Error) => process.send?.({ id: req.id, error: err.message ?? String(err) }));
  });
  // The parent is gone (even by SIGKILL): nothing is left to answer to.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true });
}

main().catch((err: Error) => {
  process.send?.({ fatal: err.message });
  process.exit(1);
});
