import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import type { OutgoingMessage } from '@/messaging/channel.port';
import type { DoctorsGroup } from '@/messaging/doctors-group.port';
import { RateLimits } from '@/rate-limits/rate-limits.service';
import { TelegramAdapter } from './telegram.adapter';

/** The doctors' inbox on Telegram: the group TELEGRAM_DOCTORS_CHAT_ID. */
@Injectable()
export class TelegramDoctorsGroup implements DoctorsGroup {
  constructor(
    private readonly telegram: TelegramAdapter,
    private readonly rateLimits: RateLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get chatId(): string {
    const id = this.telegram.doctorsChatId;
    if (!id) throw new Error('TELEGRAM_DOCTORS_CHAT_ID is not set');
    return id;
  }

  async takeTurn(): Promise<void> {
    // Telegram lets a bot post about 20 messages a minute in a group; posts beyond that wait.
    await this.rateLimits.wait([
      { key: 'telegram:doctors-group', limit: this.config.telegram?.groupPerMinute ?? 20, windowMs: 60_000 },
    ]);
  }

  async post(message: OutgoingMessage, options: { paced?: boolean } = {}): Promise<string> {
    if (options.paced !== false) await this.takeTurn();
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
}
