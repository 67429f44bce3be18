import { NO_TRANSACTION } from '@/database/database.options';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OutreachWorker } from './outreach-worker.entity';

/** WhatsApp ids are `<digits>@c.us`; a phone number may be given with +, spaces or dashes. */
export function whatsappChatId(phone: string): string {
  const digits = phone.replace(/[\s+()-]/g, '');
  if (!/^\d{6,15}$/.test(digits))
    throw new Error('The phone number must be the international number, digits only (e.g. 254712345678)');
  return `${digits}@c.us`;
}

/** The registry of outreach workers. */
@Injectable()
export class OutreachWorkersService {
  constructor(@InjectRepository(OutreachWorker) private readonly workers: Repository<OutreachWorker>) {}

  async add(input: { phone: string; name: string; organisation?: string; language?: string }): Promise<OutreachWorker> {
    const chatId = whatsappChatId(input.phone);
    if (!input.name.trim()) throw new Error('The name must not be empty');
    if (await this.findByChat(chatId)) throw new Error(`An outreach worker with phone ${input.phone} is already registered`);
    return this.workers.save(
      this.workers.create({
        chatId,
        name: input.name.trim(),
        organisation: input.organisation?.trim() || null,
        language: input.language || 'en',
        state: 'idle',
        draft: null,
      }),
      NO_TRANSACTION,
    );
  }

  list(): Promise<OutreachWorker[]> {
    return this.workers.find({ order: { name: 'ASC' } });
  }

  async remove(phone: string): Promise<boolean> {
    const result = await this.workers.delete({ chatId: whatsappChatId(phone) });
    return (result.affected ?? 0) > 0;
  }

  findByChat(chatId: string): Promise<OutreachWorker | null> {
    return this.workers.findOne({ where: { chatId } });
  }

  async save(worker: OutreachWorker): Promise<void> {
    await this.workers.update(worker.id, { state: worker.state, draft: worker.draft, activePatientId: worker.activePatientId });
  }
}
