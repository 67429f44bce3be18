import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import { ChannelName, MESSAGE_SHAPES, OutgoingMessage } from '@/bots/channel.port';
import { I18nService } from '@/i18n/i18n.service';
import { OutboxService } from '@/outbox/outbox.service';
import { contactChat, Patient } from '@/patients/patient.entity';

/** Messages to an outreach worker's phone name the patient they are about, e.g. `[Patient AB]`. */
function tagForOutreach(patient: Patient, message: OutgoingMessage): OutgoingMessage {
  if (!patient.profile || !patient.contactChatId) return message;
  return { ...message, text: `[${patient.profile.initials}${patient.profile.village ? `, ${patient.profile.village}` : ''}]\n${message.text}` };
}

/** Sends to a patient on the channel they came from (through the outbox), and records what was sent in the audit trail. */
@Injectable()
export class PatientMessenger {
  private readonly logger = new Logger(PatientMessenger.name);

  constructor(
    private readonly audit: AuditService,
    private readonly i18n: I18nService,
    private readonly outbox: OutboxService,
  ) {}

  async send(patient: Patient, message: OutgoingMessage, consultationId?: string, action = 'message'): Promise<string> {
    const id = await this.sendToChat(patient.channel, contactChat(patient), patient.language, tagForOutreach(patient, message));
    this.logger.debug(`Sent ${action} to a ${patient.channel} patient${consultationId ? ` (case ${consultationId})` : ''}`);
    await this.audit.record({
      direction: 'out',
      actor: 'system',
      action,
      patientId: patient.id,
      consultationId: consultationId ?? null,
      detail: message.text,
    });
    return id;
  }

  /**
   * Sends to any chat (e.g. an outreach worker) through the outbox, adding the localised menu prompt
   * where buttons are text. Resolves once the message is stored: the outbox delivers it, on an
   * instance where the channel runs.
   */
  sendToChat(channelName: ChannelName, chatId: string, language: string, message: OutgoingMessage): Promise<string> {
    const menuPrompt = message.buttons?.length && !MESSAGE_SHAPES[channelName].buttons ? this.i18n.t(language, 'replyWithNumber') : undefined;
    return this.outbox.enqueue(channelName, chatId, { ...message, menuPrompt });
  }
}
