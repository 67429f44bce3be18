import { Injectable, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage, IncomingMessageHandler } from '@/messaging/channel.port';
import { Inbound } from '@/messaging/inbound';
import { I18nService } from '@/i18n/i18n.service';
import { JourneyService } from '@/journey/journey.service';
import { PatientMessenger } from '@/journey/patient-messenger.service';
import { OutboxService } from '@/outbox/outbox.service';
import { PatientsService } from '@/patients/patients.service';
import { OutreachWorkersService } from '@/outreach/outreach-workers.service';
import { OutreachService } from '@/outreach/outreach.service';

/**
 * Sends each incoming message to the patient journey, or to the outreach dialogue for a registered
 * worker's phone. The replies are written on behalf of the message (its channel's id for it), so a
 * message delivered again is never answered twice. Registers itself with {@link Inbound}, where
 * every channel adapter delivers.
 */
@Injectable()
export class IncomingRouter implements IncomingMessageHandler, OnModuleInit {
  constructor(
    private readonly inbound: Inbound,
    private readonly workers: OutreachWorkersService,
    private readonly outreach: OutreachService,
    private readonly journey: JourneyService,
    private readonly patients: PatientsService,
    private readonly messenger: PatientMessenger,
    private readonly i18n: I18nService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.inbound.receivePatientMessages(this);
  }

  handle(message: IncomingMessage): Promise<void> {
    return this.outbox.forEvent(`in:${message.channel}:${message.chatId}:${message.messageId}`, () => this.route(message));
  }

  private async route(message: IncomingMessage): Promise<void> {
    try {
      const worker = message.channel === 'whatsapp' ? await this.workers.findByChat(message.chatId) : null;
      return await (worker ? this.outreach.handle(worker, message) : this.journey.handle(message));
    } catch (err) {
      // The channel logs the failure with its update; the person is not left without an answer.
      await this.apologise(message).catch(() => undefined);
      throw err;
    }
  }

  private async apologise(message: IncomingMessage): Promise<void> {
    const patient = await this.patients.find(message.channel, message.chatId);
    const language = patient?.language ?? this.i18n.resolve(message.languageCode);
    await this.messenger.sendToChat(message.channel, message.chatId, language, {
      text: this.i18n.t(language, 'somethingWentWrong'),
    });
  }
}
