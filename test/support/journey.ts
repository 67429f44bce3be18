import { FakeBotApi } from '../fake-telegram/fake-bot-api';

/** Presses the button whose data matches, on the first message to `chat` that carries it. */
export async function press(api: FakeBotApi, chat: number, data: RegExp, from?: Record<string, unknown>): Promise<void> {
  const call = await api.waitForCall(
    (c) => String(c.params.chat_id) === String(chat) && FakeBotApi.buttons(c).some(([, d]) => data.test(d)),
    30_000,
    `a button ${data} in chat ${chat}`,
  );
  const [, value] = FakeBotApi.buttons(call).find(([, d]) => data.test(d))!;
  api.pressButton(chat, value, call.messageId!, from);
}

/** A patient goes through /start, language and consent, ready to send photos. */
export async function consentedPatient(api: FakeBotApi, chat: number): Promise<void> {
  api.sendText(chat, '/start');
  await press(api, chat, /^lang:en$/);
  await press(api, chat, /^consent:yes$/);
  await api.waitForText(chat, /Send a clear, close photo/);
}

/** Sends a photo and skips through the whole intake; resolves to the case code. */
/** Sends a photo and waits for its result; resolves to the case code (the intake questions follow). */
export async function openCase(api: FakeBotApi, chat: number, photo: Buffer): Promise<string> {
  api.sendPhoto(chat, photo);
  const opened = await api.waitForText(chat, /case code is C-[A-Z0-9]{4,8}/, 60_000);
  return /C-[A-Z0-9]{4,8}/.exec(String(opened.params.text))![0];
}

export async function photoCase(
  api: FakeBotApi,
  chat: number,
  photo: Buffer,
  bodySite = 'legs',
  answers: Record<string, string> = {},
): Promise<string> {
  const code = await openCase(api, chat, photo);
  await press(api, chat, new RegExp(`^intake:bodySite:${bodySite}$`));
  for (const field of ['discreet', 'duration', 'changing', 'bleeding', 'itching', 'age', 'sex']) {
    await press(api, chat, new RegExp(`^intake:${field}:${answers[field] ?? '-'}$`));
  }
  await api.waitForText(chat, new RegExp(`answers have been added to case ${code}`));
  return code;
}
