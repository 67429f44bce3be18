import { actionCodec, actionVerb, dispatchAction, onAction } from './actions';

const PICK = actionCodec<{ id: string; n: number }>(
  'pick',
  ({ id, n }) => [id, String(n)],
  ([id, n]) => (id && n !== undefined && Number.isInteger(Number(n)) ? { id, n: Number(n) } : undefined),
);

describe('actionCodec', () => {
  it('should decode what it encodes, and nothing of another verb or with missing fields', () => {
    expect(PICK.encode({ id: 'a', n: 3 })).toBe('pick:a:3');
    expect(PICK.decode(PICK.encode({ id: 'a', n: 3 }))).toEqual({ id: 'a', n: 3 });
    expect(PICK.decode('pick:a')).toBeUndefined();
    expect(PICK.decode('pick:a:x')).toBeUndefined();
    expect(PICK.decode('picked:a:3')).toBeUndefined();
    expect(PICK.decode('')).toBeUndefined();
  });
});

describe('actionVerb', () => {
  it('should name the verb of any data', () => {
    expect(actionVerb('claim:C-7KQ2MX')).toBe('claim');
    expect(actionVerb('bogus')).toBe('bogus');
  });
});

describe('dispatchAction', () => {
  const STOP = actionCodec<true>(
    'stop',
    () => [],
    () => true,
  );
  const seen: string[] = [];
  const table = [
    onAction(PICK, (who: string, { id, n }) => Promise.resolve(void seen.push(`${who} picked ${id}×${n}`))),
    onAction(STOP, (who: string) => Promise.resolve(void seen.push(`${who} stopped`))),
  ];

  it('should run the handler of the verb that decodes, with the decoded value', async () => {
    expect(await dispatchAction(table, 'ana', 'pick:b:2')).toBe(true);
    expect(await dispatchAction(table, 'ana', 'stop')).toBe(true);
    expect(seen).toEqual(['ana picked b×2', 'ana stopped']);
  });

  it('should answer false for unknown, malformed or forged data, running nothing', async () => {
    seen.length = 0;
    for (const data of ['claim:C-1', 'pick:b', 'pick::2', '', ':::'])
      expect(await dispatchAction(table, 'ana', data)).toBe(false);
    expect(seen).toEqual([]);
  });

  it('should pass a failing handler on', async () => {
    const failing = [onAction(STOP, () => Promise.reject(new Error('boom')))];
    await expect(dispatchAction(failing, 'ana', 'stop')).rejects.toThrow('boom');
  });
});
