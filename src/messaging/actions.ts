/**
 * A button verb typed at both ends: `encode` makes a button's data from a value, `decode` reads a
 * pressed button's data back, or answers undefined when the data is not this verb's (another verb,
 * missing fields: stale or forged). The data is the verb and its fields joined by `:` (Telegram
 * allows 64 bytes); channels carry it opaquely and only the codec that made it reads it.
 */
export interface ActionCodec<T> {
  readonly verb: string;
  encode(value: T): string;
  decode(data: string): T | undefined;
}

/** A codec for `verb:<fields…>`; `read` gets the fields after the verb and answers undefined when they do not make a `T`. */
export function actionCodec<T>(
  verb: string,
  write: (value: T) => string[],
  read: (fields: string[]) => T | undefined,
): ActionCodec<T> {
  return {
    verb,
    encode: (value) => [verb, ...write(value)].join(':'),
    decode: (data) => {
      const [head, ...fields] = data.split(':');
      return head === verb ? read(fields) : undefined;
    },
  };
}

/** The verb of a button's data, whatever it is (for the audit of a refused press; never parsed further). */
export function actionVerb(data: string): string {
  return data.split(':', 1)[0];
}

/** One row of a handler table: a verb's codec and the handler of what it decodes (grammY's `callbackQuery(/^claim:/, h)`). */
export interface ActionRoute<C> {
  readonly verb: string;
  /** Runs the handler when `data` decodes; undefined when it is not this route's. */
  run(context: C, data: string): Promise<void> | undefined;
}

/** Declares a row of a handler table: `handle` gets the value `codec` decoded, typed. */
export function onAction<C, T>(codec: ActionCodec<T>, handle: (context: C, value: T) => Promise<void>): ActionRoute<C> {
  return {
    verb: codec.verb,
    run: (context, data) => {
      const value = codec.decode(data);
      return value === undefined ? undefined : handle(context, value);
    },
  };
}

/** Runs the first route of `table` that decodes `data`; resolves false when none does (unknown, stale or forged data). */
export async function dispatchAction<C>(table: readonly ActionRoute<C>[], context: C, data: string): Promise<boolean> {
  for (const route of table) {
    const run = route.run(context, data);
    if (run) {
      await run;
      return true;
    }
  }
  return false;
}
