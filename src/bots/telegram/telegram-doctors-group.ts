import { Injectable } from '@nestjs/common';
import type { OutgoingMessage } from '../channel.port';
import type { DoctorsGroup, DoctorsGroupEvent } from '@/doctors/doctors-group.port';
import { TelegramAdapter } from './telegram.adapter';

/** The doctors' inbox on Telegram: the group TELEGRAM_DOCTORS_CHAT_ID. */
@Injectable()
export class TelegramDoctorsGroup implements DoctorsGroup {
  constructor(private readonly telegram: TelegramAdapter) {}

  private get chatId(): string {
    const id = this.telegram.doctorsChatId;
    if (!id) throw new Error('TELEGRAM_DOCTORS_CHAT_ID is not set');
    return id;
  }

  post(message: OutgoingMessage): Promise<string> {
    return this.telegram.send(this.chatId, message);
  }

  edit(messageId: string, message: OutgoingMessage, hasPhoto: boolean): Promise<void> {
    return this.telegram.edit(this.chatId, messageId, message, hasPhoto);
  }

  answer(callbackId: string, text?: string, alert?: boolean): Promise<void> {
    return this.telegram.answerAction(callbackId, text, alert);
  }

  async tellPrivately(userId: string, text: string): Promise<boolean> {
    try {
      await this.telegram.send(userId, { text });
      return true;
    } catch {
      return false; // Telegram refuses until the member has started the bot; the alert still tells them
    }
  }

  onEvent(handler: (event: DoctorsGroupEvent) => Promise<void>): void {
    this.telegram.onGroupEvent((e) =>
      handler({
        fromId: e.fromId,
        fromName: e.fromName,
        messageId: e.messageId,
        text: e.text,
        replyToMessageId: e.replyToMessageId,
        action: e.action && { callbackId: e.action.callbackId, data: e.action.data },
      }),
    );
  }
}
