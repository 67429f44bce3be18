import { photoMessage, renderCloudMessage } from './cloud-render';

const options = (n: number, label = (i: number) => `Option ${i}`) => [
  Array.from({ length: n }, (_, i) => ({ label: label(i + 1), data: `pick:${i + 1}` })),
];

describe('renderCloudMessage', () => {
  it('should send reply buttons for up to three short options', () => {
    const [only] = renderCloudMessage({ text: 'Do you agree?', buttons: options(2) }, 'Choose');
    expect(only.body).toEqual({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Do you agree?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'pick:1', title: 'Option 1' } },
            { type: 'reply', reply: { id: 'pick:2', title: 'Option 2' } },
          ],
        },
      },
    });
    expect(only.menu).toBeUndefined();
  });

  it('should send a list for up to ten options, with long labels cut and given whole below', () => {
    const [list] = renderCloudMessage(
      {
        text: 'Where on the body?',
        buttons: options(7, (i) => (i === 1 ? 'Intimate area (genitals, groin, breast)' : `Site ${i}`)),
      },
      'Choose',
    );
    const interactive = list.body.interactive as {
      type: string;
      action: { button: string; sections: { rows: Record<string, string>[] }[] };
    };
    expect(interactive.type).toBe('list');
    expect(interactive.action.button).toBe('Choose');
    expect(interactive.action.sections[0].rows).toHaveLength(7);
    expect(interactive.action.sections[0].rows[0]).toEqual({
      id: 'pick:1',
      title: 'Intimate area (genitals…',
      description: 'Intimate area (genitals, groin, breast)',
    });
    expect(interactive.action.sections[0].rows[0].title.length).toBeLessThanOrEqual(24);
  });

  it('should fall back to a numbered menu for more than ten options or a text too long for an interactive message', () => {
    const [many] = renderCloudMessage({ text: 'Pick one', buttons: options(11), menuPrompt: 'Reply with a number:' }, 'Choose');
    expect(many.body.type).toBe('text');
    expect((many.body.text as { body: string }).body).toMatch(/Reply with a number:\n1\. Option 1\n[\s\S]*11\. Option 11$/);
    expect(many.menu).toHaveLength(11);
    const [long] = renderCloudMessage({ text: 'x'.repeat(1500), buttons: options(2) }, 'Choose');
    expect(long.body.type).toBe('text');
    expect(long.menu).toEqual(['pick:1', 'pick:2']);
  });

  it('should split texts longer than WhatsApp allows, options on the last part, and reply in context to a wamid', () => {
    const parts = renderCloudMessage({ text: `${'a'.repeat(4000)}\n${'b'.repeat(500)}`, replyToMessageId: 'wamid.X' }, 'Choose');
    expect(parts).toHaveLength(2);
    expect(parts[0].body).toMatchObject({ type: 'text', context: { message_id: 'wamid.X' } });
    expect((parts[1].body.text as { body: string }).body).toBe('b'.repeat(500));
    expect(photoMessage('media-9', { text: 'c'.repeat(2000) })).toEqual({
      type: 'image',
      image: { id: 'media-9', caption: 'c'.repeat(1024) },
    });
  });
});
