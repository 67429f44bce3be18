import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@/config/app-config';
import { I18nModule } from '@/i18n/i18n.module';
import { createWhatsAppClient, WHATSAPP_CLIENT_FACTORY, WhatsAppClientFactory } from './whatsapp/whatsapp-client';
import { WhatsAppAdminController } from './whatsapp/whatsapp-admin.controller';
import { WhatsAppAdapter } from './whatsapp/whatsapp.adapter';
import { DOCTORS_GROUP } from '@/messaging/doctors-group.port';
import { TelegramDoctorsGroup } from './telegram/telegram-doctors-group';
import { TelegramWebhookController } from './telegram/telegram-webhook.controller';
import { TelegramAdapter } from './telegram/telegram.adapter';
import { HandledUpdate } from './shared/handled-update.entity';
import { HandledUpdates } from './shared/handled-updates';
import { ChatMenu } from './whatsapp/chat-menu.entity';
import { ChatMenus } from './whatsapp/chat-menus';
import { ConversationWindow } from './whatsapp/cloud/conversation-window.entity';
import { ConversationWindows } from './whatsapp/cloud/conversation-windows';
import { WhatsAppCloudAdminController } from './whatsapp/cloud/whatsapp-cloud-admin.controller';
import { WhatsAppCloudWebhookController } from './whatsapp/cloud/whatsapp-cloud-webhook.controller';
import { WhatsAppCloudAdapter } from './whatsapp/cloud/whatsapp-cloud.adapter';
import { WebChannel } from './web/web.channel';
import { WebController } from './web/web.controller';

/** Test seams at the outside boundary (the whatsapp-web.js Client). */
export interface BotsOverrides {
  whatsappClientFactory?: WhatsAppClientFactory;
}

/**
 * The channel adapters (one folder per channel: telegram/, whatsapp/ with its Cloud API mode in
 * whatsapp/cloud/, web/), each enabled by configuration. They turn SDK events into the messaging vocabulary and deliver them to `Inbound`;
 * they import no feature module. Global so the doctors' inbox can reach the group port.
 */
@Module({})
export class BotsModule {
  static register(config: AppConfig, overrides: BotsOverrides = {}): DynamicModule {
    const providers: Provider[] = [];
    const controllers: Type[] = [];
    const exports: (Provider | symbol)[] = [];
    if (config.webTryEnabled) {
      providers.push(WebChannel);
      controllers.push(WebController);
    }
    if (config.telegram || config.whatsapp || config.whatsappCloud) providers.push(HandledUpdates);
    if (config.whatsapp || config.whatsappCloud) providers.push(ChatMenus);
    if (config.telegram) {
      providers.push(TelegramAdapter);
      controllers.push(TelegramWebhookController);
      exports.push(TelegramAdapter);
      if (config.telegram.doctorsChatId) {
        providers.push({ provide: DOCTORS_GROUP, useClass: TelegramDoctorsGroup });
        exports.push(DOCTORS_GROUP);
      }
    }
    if (config.whatsapp) {
      providers.push(WhatsAppAdapter, {
        provide: WHATSAPP_CLIENT_FACTORY,
        useValue: overrides.whatsappClientFactory ?? createWhatsAppClient,
      });
      controllers.push(WhatsAppAdminController);
      exports.push(WhatsAppAdapter);
    }
    if (config.whatsappCloud) {
      providers.push(WhatsAppCloudAdapter, ConversationWindows);
      controllers.push(WhatsAppCloudWebhookController, WhatsAppCloudAdminController);
      exports.push(WhatsAppCloudAdapter);
    }
    return {
      module: BotsModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature([HandledUpdate, ConversationWindow, ChatMenu]),
        I18nModule,
        MulterModule.register({ limits: { fileSize: config.http.maxUploadBytes, files: 1 } }),
      ],
      providers,
      controllers,
      exports,
    };
  }
}
