import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGraphApi, type CloudWebhookPayload, type WebhookCall } from './fake-graph-api';

/** What the stand-in service received on its webhook. */
interface Received {
  method: string;
  url: string;
  signature?: string;
  raw: string;
}

const VERSION = 'v21.0';
const USER = '15551230001';

describe('FakeGraphApi (fake WhatsApp Cloud API)', () => {
  const fake = new FakeGraphApi();
  const received: Received[] = [];
  /** The stand-in service: checks the signature like a real one would (401 when wrong) and answers the handshake. */
  const service = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const signature = req.headers['x-hub-signature-256'] as string | undefined;
      received.push({ method: req.method ?? '', url: req.url ?? '', signature, raw: raw.toString('utf8') });
      if (req.method === 'GET') {
        const q = new URL(req.url ?? '/', 'http://x').searchParams;
        const ok = q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === fake.verifyToken;
        res.writeHead(ok ? 200 : 403).end(ok ? (q.get('hub.challenge') ?? '') : 'forbidden');
        return;
      }
      const expected = Buffer.from(`sha256=${createHmac('sha256', fake.appSecret).update(raw).digest('hex')}`);
      const good = !!signature && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), expected);
      res.writeHead(good ? 200 : 401).end();
    });
  });

  const graph = (path: string, init: RequestInit = {}, token: string | null = fake.accessToken) =>
    fetch(`${fake.apiRoot}${path}`, {
      ...init,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers as Record<string, string>) },
    });
  const send = (body: Record<string, unknown>) =>
    graph(`/${VERSION}/${fake.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: USER, ...body }),
    });
  const statusesOf = (wamid: string) =>
    fake.webhookCalls.flatMap((c) => FakeGraphApi.value(c.payload)?.statuses ?? []).filter((s) => s.id === wamid);
  const isStatus = (wamid: string, status: string) => (c: WebhookCall) =>
    !!FakeGraphApi.value(c.payload)?.statuses?.some((s) => s.id === wamid && s.status === status);

  beforeAll(async () => {
    await fake.start();
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    fake.webhookUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/whatsapp/webhook`;
  });

  afterAll(async () => {
    await fake.stop();
    service.closeAllConnections();
    await new Promise<void>((resolve) => service.close(() => resolve()));
  });

  beforeEach(() => {
    fake.windowFailure = 'async';
    fake.autoStatuses = true;
  });

  it('needs the Bearer token and answers 404 for unknown paths', async () => {
    const noToken = await graph(`/${VERSION}/${fake.phoneNumberId}/messages`, { method: 'POST', body: '{}' }, null);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({
      error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 },
    });
    expect((await graph(`/${VERSION}/12345`, {}, 'wrong')).status).toBe(401);
    expect((await graph('/nothing/here')).status).toBe(404);
  });

  it('posts a signed user message in Meta’s shape, then accepts a reply with sent → delivered statuses after the answer', async () => {
    const { status, payload, wamid } = await fake.sendText(USER, 'hello doctor');
    expect(status).toBe(200);
    expect(wamid).toMatch(/^wamid\./);
    const last = received.at(-1)!;
    expect(last.signature).toBe(fake.sign(last.raw));
    const posted = JSON.parse(last.raw) as CloudWebhookPayload;
    expect(posted).toEqual(payload);
    expect(posted).toMatchObject({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: fake.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550001111', phone_number_id: fake.phoneNumberId },
                contacts: [{ profile: { name: 'Patient' }, wa_id: USER }],
                messages: [{ from: USER, id: wamid, type: 'text', text: { body: 'hello doctor' } }],
              },
            },
          ],
        },
      ],
    });
    expect(FakeGraphApi.value(posted)!.messages![0].timestamp).toMatch(/^\d{10}$/);

    const res = await send({ type: 'text', text: { body: 'Please send a photo' } });
    const answer = (await res.json()) as { contacts: unknown[]; messages: { id: string }[] };
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    expect(answer.contacts).toEqual([{ input: USER, wa_id: USER }]);
    const out = answer.messages[0].id;
    await fake.waitForWebhook(isStatus(out, 'delivered'));
    expect(statusesOf(out).map((s) => s.status)).toEqual(['sent', 'delivered']);
    expect(statusesOf(out)[0]).toMatchObject({ recipient_id: USER, pricing: { category: 'service' } });
    const sentAt = fake.webhookCalls.find(isStatus(out, 'sent'))!.at;
    expect(sentAt).toBeGreaterThanOrEqual(answeredAt - 50);
    expect((await fake.waitForText(USER, /send a photo/)).wamid).toBe(out);
    expect(fake.sent.find((m) => m.wamid === out)?.failed).toBeUndefined();
  });

  it('enforces the 24-hour window: async failed status by default, 400 when sync; templates always go', async () => {
    const stranger = '15559990002';
    fake.setLastInbound(stranger, Date.now() - 25 * 3600_000);
    const res = await send({ to: stranger, type: 'text', text: { body: 'late reply' } });
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: { id: string }[] };
    const failed = await fake.waitForWebhook(isStatus(messages[0].id, 'failed'));
    expect(FakeGraphApi.value(failed.payload)!.statuses![0].errors).toEqual([expect.objectContaining({ code: 131047 })]);
    expect(fake.sentTo(stranger)[0].failed).toBe(131047);
    expect(statusesOf(messages[0].id).map((s) => s.status)).toEqual(['failed']);

    fake.windowFailure = 'sync';
    const sync = await send({ to: '15559990003', type: 'text', text: { body: 'never wrote' } });
    expect(sync.status).toBe(400);
    expect(await sync.json()).toMatchObject({ error: { code: 131047 } });

    const template = await send({
      to: '15559990003',
      type: 'template',
      template: {
        name: 'case_update',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'C-12' },
              { type: 'text', text: 'ready' },
            ],
          },
        ],
      },
    });
    expect(template.status).toBe(200);
    expect(fake.textsTo('+1 555 999 0003')).toEqual(['template:case_update:en:C-12|ready']);
  });

  it('validates messages like Meta', async () => {
    const invalid = async (body: Record<string, unknown>, details: RegExp) => {
      const res = await send(body);
      expect(res.status).toBe(400);
      const err = ((await res.json()) as { error: { code: number; error_data: { details: string } } }).error;
      expect(err.code).toBe(100);
      expect(err.error_data.details).toMatch(details);
    };
    const buttons = (titles: string[]) => ({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Choose' },
        action: { buttons: titles.map((t, i) => ({ type: 'reply', reply: { id: `b${i}`, title: t } })) },
      },
    });
    const listOf = (n: number) => ({
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Pick one' },
        action: {
          button: 'Options',
          sections: [{ rows: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) }],
        },
      },
    });
    await invalid({ type: 'text', text: { body: '' } }, /text\.body/);
    await invalid({ type: 'text', text: { body: 'x'.repeat(4097) } }, /text\.body/);
    await invalid(buttons(['a', 'b', 'c', 'd']), /1-3 buttons/);
    await invalid(buttons(['this title is far too long']), /title/);
    await invalid(listOf(11), /1-10 rows/);
    await invalid({ type: 'image', image: { id: 'nope' } }, /uploaded media/);
    await invalid({ type: 'template', template: { name: 'x' } }, /language/);
    await invalid({ messaging_product: 'sms', type: 'text', text: { body: 'hi' } }, /messaging_product/);
    expect((await send(buttons(['Yes', 'No']))).status).toBe(200);
    expect((await send(listOf(10))).status).toBe(200);
  });

  it('uploads, describes and serves media; expiry and removal answer 404', async () => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'image/png');
    form.append('file', new Blob([Buffer.from('png-bytes')], { type: 'image/png' }), 'chart.png');
    const up = await graph(`/${VERSION}/${fake.phoneNumberId}/media`, { method: 'POST', body: form });
    expect(up.status).toBe(200);
    const { id } = (await up.json()) as { id: string };
    expect(fake.uploads.get(id)).toEqual({ data: Buffer.from('png-bytes'), mime: 'image/png' });
    expect((await send({ type: 'image', image: { id, caption: 'Your report' } })).status).toBe(200);
    expect(fake.textsTo(USER).at(-1)).toBe('Your report');

    const noFile = new FormData();
    noFile.append('messaging_product', 'whatsapp');
    expect((await graph(`/${VERSION}/${fake.phoneNumberId}/media`, { method: 'POST', body: noFile })).status).toBe(400);

    const photo = Buffer.from('jpeg-bytes-of-a-lesion');
    const { payload } = await fake.sendImage(USER, photo, { caption: 'my arm' });
    const image = FakeGraphApi.value(payload)!.messages![0].image as { id: string; mime_type: string; caption: string };
    expect(image).toMatchObject({ mime_type: 'image/jpeg', caption: 'my arm' });
    const [infoCalls, downloads] = [fake.mediaInfoCalls, fake.downloadCalls];
    const info = (await (await graph(`/${VERSION}/${image.id}`)).json()) as { url: string; sha256: string; file_size: number };
    expect(info).toMatchObject({ messaging_product: 'whatsapp', mime_type: 'image/jpeg', file_size: photo.length, id: image.id });
    expect(info.sha256).toBe(createHash('sha256').update(photo).digest('hex'));
    expect(info.url.startsWith(`${fake.apiRoot}/media-download/${image.id}?ts=`)).toBe(true);
    expect((await fetch(info.url)).status).toBe(401);
    const dl = await graph(info.url.slice(fake.apiRoot.length));
    expect(dl.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await dl.arrayBuffer())).toEqual(photo);

    fake.expireNextDownloads(1);
    expect((await graph(info.url.slice(fake.apiRoot.length))).status).toBe(404);
    const fresh = (await (await graph(`/${VERSION}/${image.id}`)).json()) as { url: string };
    expect(fresh.url).not.toBe(info.url);
    expect((await graph(fresh.url.slice(fake.apiRoot.length))).status).toBe(200);

    fake.removeMedia(image.id);
    const gone = await graph(`/${VERSION}/${image.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 100 } });
    expect((await graph(fresh.url.slice(fake.apiRoot.length))).status).toBe(404);
    expect([fake.mediaInfoCalls - infoCalls, fake.downloadCalls - downloads]).toEqual([3, 4]);

    const doc = await fake.sendImage(USER, photo, { asDocument: true, mime: 'image/png' });
    expect(FakeGraphApi.value(doc.payload)!.messages![0]).toMatchObject({
      type: 'document',
      document: { filename: 'lesion.jpg', mime_type: 'image/png' },
    });
  });

  it('injects failures in order, and delays', async () => {
    fake.failures.set('messages', [
      { status: 400, code: 130429, message: '(#130429) Rate limit hit' },
      { status: 500, code: 1, message: 'unknown error' },
    ]);
    const first = await send({ type: 'text', text: { body: 'try 1' } });
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({
      error: { code: 130429, message: '(#130429) Rate limit hit', type: 'OAuthException' },
    });
    expect((await send({ type: 'text', text: { body: 'try 2' } })).status).toBe(500);
    expect((await send({ type: 'text', text: { body: 'try 3' } })).status).toBe(200);
    expect(fake.textsTo(USER).filter((t) => t.startsWith('try'))).toEqual(['try 3']);

    fake.delays.set('media_info', 300);
    const t0 = Date.now();
    await graph(`/${VERSION}/404404`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    fake.delays.delete('media_info');
  });

  it('posts bad signatures and redeliveries on request, and answers the verification handshake', async () => {
    const { payload } = await fake.sendText(USER, 'once');
    expect((await fake.post(payload, { signature: null })).status).toBe(401);
    expect(received.at(-1)!.signature).toBeUndefined();
    expect((await fake.post(payload, { signature: 'sha256=00' })).status).toBe(401);
    expect((await fake.post(payload, { rawBody: '{"object":"whatsapp_business_account"}' })).status).toBe(200);
    const again = await fake.redeliver(payload);
    expect(again.status).toBe(200);
    expect(received.at(-1)!.raw).toBe(JSON.stringify(payload));

    expect(await fake.verify('subscribe', fake.verifyToken, 'ch-123')).toEqual({ status: 200, text: 'ch-123' });
    expect((await fake.verify('subscribe', 'wrong', 'ch-123')).status).toBe(403);
  });

  it('replies quote the message that offered them; other message types and manual statuses', async () => {
    fake.autoStatuses = false;
    await fake.sendText(USER, 'start');
    await send({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Consent?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'consent:yes', title: 'Yes' } }] },
      },
    });
    const offered = await fake.waitForText(USER, /Consent\?/);
    expect(FakeGraphApi.choices(offered)).toEqual([{ id: 'consent:yes', title: 'Yes' }]);
    const press = await fake.pressButton(USER, 'consent:yes', 'Yes');
    expect(FakeGraphApi.value(press.payload)!.messages![0]).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'consent:yes', title: 'Yes' } },
      context: { from: '15550001111', id: offered.wamid },
    });
    const row = await fake.chooseFromList(USER, 'site:arm', 'Arm', 'Upper limb');
    expect(FakeGraphApi.value(row.payload)!.messages![0].interactive).toEqual({
      type: 'list_reply',
      list_reply: { id: 'site:arm', title: 'Arm', description: 'Upper limb' },
    });
    const tb = await fake.pressTemplateButton(USER, 'resume', 'Resume');
    expect(FakeGraphApi.value(tb.payload)!.messages![0]).toMatchObject({
      type: 'button',
      button: { payload: 'resume', text: 'Resume' },
    });
    for (const type of ['sticker', 'audio', 'video', 'location', 'contacts', 'reaction', 'unsupported'] as const) {
      const other = await fake.sendOther(USER, type);
      expect(other.status).toBe(200);
      expect(FakeGraphApi.value(other.payload)!.messages![0].type).toBe(type);
    }
    const read = await fake.sendStatus(offered.wamid, 'read');
    expect(FakeGraphApi.value(read.payload)).toMatchObject({
      statuses: [{ id: offered.wamid, status: 'read', recipient_id: USER }],
    });
    expect(FakeGraphApi.value(read.payload)!.messages).toBeUndefined();
    expect(statusesOf(offered.wamid).map((s) => s.status)).toEqual(['read']);
  });

  it('times out with what was sent to the user', async () => {
    await expect(fake.waitForText(USER, /never said/, 300)).rejects.toThrow(/Sent to 15551230001:\n[\s\S]*Consent\?/);
  });
});
