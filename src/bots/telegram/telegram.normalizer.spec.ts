import type { Update } from 'telegraf/types';
import { normalizeGroupUpdate, normalizePrivateUpdate, updateKey } from './telegram.normalizer';

const chat = { id: 42, type: 'private' as const, first_name: 'P' };
const from = { id: 42, is_bot: false, first_name: 'P', language_code: 'pt-BR' };
const msg = (fields: object) =>
  ({ update_id: 1, message: { message_id: 7, date: 0, chat, from, ...fields } }) as unknown as Update;

describe('normalizePrivateUpdate', () => {
  it('should turn commands into command messages with arguments', () => {
    expect(normalizePrivateUpdate(msg({ text: '/start@dermlink_bot  ref42' }))).toMatchObject({
      kind: 'command',
      command: 'start',
      args: 'ref42',
      chatId: '42',
      messageId: '42:7',
      languageCode: 'pt-BR',
    });
  });

  it('should pick the largest photo size and accept image documents as photos', () => {
    const photo = normalizePrivateUpdate(
      msg({
        photo: [
          { file_id: 'small', width: 90, height: 90 },
          { file_id: 'big', width: 1280, height: 960 },
        ],
      }),
    );
    expect(photo).toMatchObject({ kind: 'photo', fileRef: 'big' });
    expect(normalizePrivateUpdate(msg({ document: { file_id: 'd', mime_type: 'image/png' } }))).toMatchObject({
      kind: 'photo',
      fileRef: 'd',
      mimeType: 'image/png',
    });
    expect(normalizePrivateUpdate(msg({ document: { file_id: 'd', mime_type: 'application/pdf' } }))).toMatchObject({
      kind: 'unsupported',
      what: 'document',
    });
  });

  it('should name what it cannot read', () => {
    expect(normalizePrivateUpdate(msg({ voice: { file_id: 'v' } }))).toMatchObject({ kind: 'unsupported', what: 'voice' });
    expect(normalizePrivateUpdate(msg({ sticker: { file_id: 's' } }))).toMatchObject({ kind: 'unsupported', what: 'sticker' });
    expect(normalizePrivateUpdate(msg({ video: { file_id: 'x' } }))).toMatchObject({ kind: 'unsupported', what: 'video' });
  });

  it('should cap huge texts and keep right-to-left text and emoji intact', () => {
    const text = 'مرحبا 👋 '.repeat(2000);
    const out = normalizePrivateUpdate(msg({ text }));
    expect(out).toMatchObject({ kind: 'text' });
    expect((out as { text: string }).text).toHaveLength(4096);
    expect((out as { text: string }).text.startsWith('مرحبا 👋')).toBe(true);
  });

  it('should turn button presses into actions and ignore updates it does not know', () => {
    const cb = {
      update_id: 2,
      callback_query: { id: 'q1', from, chat_instance: 'c', data: 'consent:yes', message: { message_id: 9, date: 0, chat } },
    } as unknown as Update;
    expect(normalizePrivateUpdate(cb)).toMatchObject({ kind: 'action', data: 'consent:yes', chatId: '42' });
    expect(normalizePrivateUpdate({ update_id: 3, poll: {} } as unknown as Update)).toBeUndefined();
  });
});

describe('normalizeGroupUpdate', () => {
  it('should carry the sender and the message replied to', () => {
    const update = {
      update_id: 4,
      message: {
        message_id: 11,
        date: 0,
        chat: { id: -100, type: 'supergroup' },
        from: { id: 501, is_bot: false, first_name: 'Amina', last_name: 'Okafor' },
        text: 'advice',
        reply_to_message: { message_id: 10 },
      },
    } as unknown as Update;
    expect(normalizeGroupUpdate(update)).toEqual({
      fromId: '501',
      fromName: 'Amina Okafor',
      messageId: '11',
      text: 'advice',
      replyToMessageId: '10',
    });
  });

  it('should carry the button data of the message a reply answers, for the inbox to read its case from', () => {
    const buttons = {
      inline_keyboard: [
        [{ text: 'Claim', callback_data: 'claim:C-7KQ2MX' }],
        [{ text: 'Close', callback_data: 'close:C-7KQ2MX' }],
      ],
    };
    const reply = (replied: object) =>
      ({
        update_id: 5,
        message: {
          message_id: 12,
          date: 0,
          chat: { id: -100, type: 'supergroup' },
          from: { id: 501, is_bot: false, first_name: 'A' },
          text: 'advice',
          reply_to_message: { message_id: 10, ...replied },
        },
      }) as unknown as Update;
    expect(normalizeGroupUpdate(reply({ caption: 'Case C-7KQ2MX', reply_markup: buttons }))).toMatchObject({
      replyToMessageId: '10',
      replyToActions: ['claim:C-7KQ2MX', 'close:C-7KQ2MX'],
    });
    // A message without buttons (a doctor's own that mentions a code, say) carries none.
    expect(normalizeGroupUpdate(reply({ text: 'what about C-7KQ2MX?' }))?.replyToActions).toBeUndefined();
  });
});

describe('updateKey', () => {
  it('should name a message by its chat and id, and a button press by its id, whatever the update id', () => {
    expect(updateKey(msg({ text: 'hi' }))).toBe('m:42:7');
    expect(updateKey({ ...msg({ text: 'hi' }), update_id: 99 })).toBe('m:42:7');
    const press = {
      update_id: 2,
      callback_query: { id: '8812', from, data: 'lang:en', message: { message_id: 7, date: 0, chat } },
    } as unknown as Update;
    expect(updateKey(press)).toBe('c:8812');
    expect(updateKey({ update_id: 3, edited_message: { message_id: 1 } } as unknown as Update)).toBeUndefined();
  });
});

describe('normalizers under fuzzing', () => {
  /** Deterministic PRNG: the same random updates on every run. */
  function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  }

  it('should never throw on 3000 random, malformed updates and only return known kinds', () => {
    const random = prng(42);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const values: unknown[] = [
      null,
      undefined,
      0,
      -1,
      1e20,
      '',
      'x'.repeat(5000),
      '/start',
      '/',
      '🙂',
      'مرحبا',
      [],
      {},
      true,
      NaN,
    ];
    const fields = [
      'text',
      'photo',
      'document',
      'sticker',
      'voice',
      'video',
      'caption',
      'reply_to_message',
      'from',
      'chat',
      'entities',
      'location',
    ];
    const randomValue = (depth: number): unknown =>
      depth > 2 || random() < 0.5
        ? pick(values)
        : Object.fromEntries(
            Array.from({ length: Math.floor(random() * 4) }, () => [
              pick([...fields, 'file_id', 'mime_type', 'id', 'type', 'data']),
              randomValue(depth + 1),
            ]),
          );
    for (let i = 0; i < 3000; i++) {
      const message = Object.fromEntries(fields.filter(() => random() < 0.3).map((f) => [f, randomValue(0)]));
      const chat =
        random() < 0.8 ? { id: Math.floor(random() * 1e6), type: pick(['private', 'group', 'supergroup']) } : randomValue(1);
      const update = (random() < 0.7
        ? { update_id: i, message: { message_id: i, date: 0, chat, from: { id: 1, is_bot: false, first_name: 'x' }, ...message } }
        : {
            update_id: i,
            callback_query: {
              id: String(i),
              from: { id: 1 },
              data: randomValue(1),
              message: random() < 0.8 ? { message_id: 1, chat } : randomValue(1),
            },
          }) as unknown as Update;
      let out: ReturnType<typeof normalizePrivateUpdate>;
      try {
        out = normalizePrivateUpdate(update);
        normalizeGroupUpdate(update);
        updateKey(update);
      } catch (err) {
        throw new Error(`Update ${JSON.stringify(update).slice(0, 300)} threw: ${(err as Error).message}`);
      }
      if (out) expect(['command', 'text', 'photo', 'action', 'unsupported']).toContain(out.kind);
    }
  });
});
