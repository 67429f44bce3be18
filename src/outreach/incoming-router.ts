import { Injectable } from '@nestjs/common';
import type { IncomingMessage, IncomingMessageHandler } from '@/bots/channel.port';
import { JourneyService } from '@/journey/journey.service';
import { OutreachWorkersService } from './outreach-workers.service';
import { OutreachService } from './outreach.service';

/** Sends each incoming message to the patient journey, or to the outreach dialogue for a registered worker's phone. */
@Injectable()
export class IncomingRouter implements IncomingMessageHandler {
  constructor(
    private readonly workers: OutreachWorkersService,
    private readonly outreach: OutreachService,
    private readonly journey: JourneyService,
  ) {}

  async handle(message: IncomingMessage): Promise<void> {
    const worker = message.channel === 'whatsapp' ? await this.workers.findByChat(message.chatId) : null;
    return worker ? this.outreach.handle(worker, message) : this.journey.handle(message);
  }
}
