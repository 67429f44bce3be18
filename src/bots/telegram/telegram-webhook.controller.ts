import {
  Body,
  Controller,
  ForbiddenException,
  Headers,
  HttpCode,
  Inject,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Update } from 'telegraf/types';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { secretsEqual } from '@/common/secrets';
import { TelegramAdapter } from './telegram.adapter';

/** Receives Telegram webhook updates; checks Telegram's secret token header in constant time. */
@ApiExcludeController()
@Controller('telegram')
export class TelegramWebhookController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly telegram: TelegramAdapter,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  update(@Headers('x-telegram-bot-api-secret-token') secret: string | undefined, @Body() update: Update): void {
    const expected = this.config.telegram?.webhookSecret;
    if (!this.config.telegram?.webhookUrl) throw new ForbiddenException('Webhook mode is off');
    if (!expected || !secretsEqual(secret ?? '', expected)) throw new ForbiddenException('Bad secret token');
    // Acknowledge fast; the update is handled in the background so Telegram does not resend it.
    // While shutting down, refuse with 503 so Telegram delivers it again later: nothing is lost.
    if (!this.telegram.handleWebhookUpdate(update)) throw new ServiceUnavailableException('Shutting down');
  }
}
