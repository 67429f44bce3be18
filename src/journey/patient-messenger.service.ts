import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import { ChannelName, MESSAGE_SHAPES, OutgoingMessage } from '@/messaging/channel.port';
import { I18nService } from '@/i18n/i18n.service';
import { OutboxService, OutboxWrite } from '@/outbox/outbox.service';
import { contactChat, Patient } from '@/patients/patient.entity';

/** Messages to an outreach worker's phone name the patient they are about, e.g. `[Patient AB]`. */
function tagForOutreach(patient: Patient, message: OutgoingMessage): OutgoingMessage {
  if (!patient.profile || !patient.contactChatId) return message;
  return {
    ...message,
    text: `[${patient.profile.initials}${patient.profile.village ? `, ${patient.profile.village}` : ''}]\n${message.text}`,
  };
}

/** One message of {@link PatientMessenger.sendAll}. */
export interface PatientMessage {
  message: OutgoingMessage;
  /** What it is, for the audit trail and the key an event gives it (`result`, `doctor_answer`...). */
  action: string;
  /** Names the logical message so it is written once (see {@link OutboxWrite.key}). */
  key?: string;
}

/**
 * Sends to a patient on the channel they came from (through the outbox), and records what was sent in
 * the audit trail. A message written before (the same key, or the same place in a redelivered event)
 * is neither written nor recorded again.
 */
@Injectable()
export class PatientMessenger {
  private readonly logger = new Logger(PatientMessenger.name);

  constructor(
    private readonly audit: AuditService,
    private readonly i18n: I18nService,
    private readonly outbox: OutboxService,
  ) {}

  /** Resolves to false when the message had been written before. */
  async send(
    patient: Patient,
    message: OutgoingMessage,
    consultationId?: string,
    action = 'message',
    key?: string,
  ): Promise<boolean> {
    return (await this.sendAll(patient, [{ message, action, key }], consultationId)) === 1;
  }

  /**
   * Writes messages that belong together (a result, its card and its case code) at once: they are all
   * in the outbox, or none is. Resolves to how many were new.
   */
  async sendAll(patient: Patient, messages: PatientMessage[], consultationId?: string): Promise<number> {
    const writes = messages.map(({ message, action, key }) => ({
      ...this.toChat(patient.channel, contactChat(patient), patient.language, tagForOutreach(patient, message)),
      key,
      kind: `${action}:${consultationId ?? ''}`,
    }));
    const written = await this.outbox.enqueueAll(writes);
    const about = consultationId ? ` (case ${consultationId})` : '';
    for (const [i, { message, action }] of messages.entries()) {
      if (!written[i]) {
        this.logger.debug(`${action} for a ${patient.channel} patient had been written before${about}`);
        continue;
      }
      this.logger.debug(`Sent ${action} to a ${patient.channel} patient${about}`);
      await this.audit.record({
        direction: 'out',
        actor: 'system',
        action,
        patientId: patient.id,
        consultationId: consultationId ?? null,
        detail: message.text,
      });
    }
    return written.filter(Boolean).length;
  }

  /**
   * Sends to any chat (e.g. an outreach worker) through the outbox, adding the localised menu prompt
   * where buttons are text. Resolves once the message is stored (false: it had been written before);
   * the outbox delivers it, on an instance where the channel runs.
   */
  sendToChat(
    channelName: ChannelName,
    chatId: string,
    language: string,
    message: OutgoingMessage,
    kind?: string,
  ): Promise<boolean> {
    const { channel, chatId: chat, message: shaped } = this.toChat(channelName, chatId, language, message);
    return this.outbox.enqueue(channel, chat, shaped, { kind });
  }

  private toChat(channel: ChannelName, chatId: string, language: string, message: OutgoingMessage): OutboxWrite {
    const menuPrompt =
      message.buttons?.length && !MESSAGE_SHAPES[channel].buttons ? this.i18n.t(language, 'replyWithNumber') : undefined;
    return { channel, chatId, message: { ...message, menuPrompt, language } };
  }
}
