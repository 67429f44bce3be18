import { Module } from '@nestjs/common';
import { I18nModule } from '@/i18n/i18n.module';
import { JourneyModule } from '@/journey/journey.module';
import { OutreachModule } from '@/outreach/outreach.module';
import { PatientsModule } from '@/patients/patients.module';
import { IncomingRouter } from './incoming-router';

/**
 * The conversation's wiring: every patient message, on every channel, is taken from
 * {@link Inbound} by the {@link IncomingRouter} and goes to the patient journey or, from a
 * registered worker's phone, to the outreach dialogue.
 */
@Module({ imports: [I18nModule, JourneyModule, OutreachModule, PatientsModule], providers: [IncomingRouter] })
export class ConversationModule {}
