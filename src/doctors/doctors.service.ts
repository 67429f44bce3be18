import { NO_TRANSACTION } from '@/database/database.options';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Doctor } from './doctor.entity';

/** A doctor with this Telegram id is already registered. */
export class DoctorExistsError extends Error {
  override name = 'DoctorExistsError';
  constructor(readonly telegramId: string) {
    super(`A doctor with Telegram id ${telegramId} is already registered`);
  }
}

/** The registry of doctors allowed to act on cases. */
@Injectable()
export class DoctorsService {
  constructor(@InjectRepository(Doctor) private readonly doctors: Repository<Doctor>) {}

  async add(input: { telegramId: string; name: string; license?: string }): Promise<Doctor> {
    if (!/^\d{1,20}$/.test(input.telegramId))
      throw new Error('The Telegram id must be a number (ask the doctor to message @userinfobot)');
    if (!input.name.trim()) throw new Error('The name must not be empty');
    if (await this.findByTelegramId(input.telegramId)) throw new DoctorExistsError(input.telegramId);
    return this.doctors.save(
      this.doctors.create({ telegramId: input.telegramId, name: input.name.trim(), license: input.license?.trim() || null }),
      NO_TRANSACTION,
    );
  }

  list(): Promise<Doctor[]> {
    return this.doctors.find({ order: { name: 'ASC' } });
  }

  /** Removes a doctor; resolves to false when none had this id. */
  async remove(telegramId: string): Promise<boolean> {
    const result = await this.doctors.delete({ telegramId });
    return (result.affected ?? 0) > 0;
  }

  findByTelegramId(telegramId: string): Promise<Doctor | null> {
    return this.doctors.findOne({ where: { telegramId } });
  }

  findById(id: string): Promise<Doctor | null> {
    return this.doctors.findOne({ where: { id } });
  }
}
