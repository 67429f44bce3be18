import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AuditEntry } from '@/audit/audit-entry.entity';
import { Consultation } from '@/consultations/consultation.entity';
import { Patient } from '@/patients/patient.entity';
import { ENTITIES, MIGRATIONS } from '../database.options';
import { AuditPatientLinks1795000000003 } from './1795000000003-audit-patient-links';

describe(AuditPatientLinks1795000000003.name, () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-migration-')), 'db.sqlite');
  const open = (migrations: typeof MIGRATIONS) =>
    new DataSource({
      type: 'sqlite',
      database: file,
      entities: ENTITIES,
      migrations,
      migrationsRun: true,
      synchronize: false,
    }).initialize();

  it("should link doctors' entries to the case's patient and blank the text of erased patients' cases", async () => {
    const before = await open(MIGRATIONS.filter((m) => m !== AuditPatientLinks1795000000003));
    const patient = await before.getRepository(Patient).save({ channel: 'telegram', channelUserId: '42', language: 'en' });
    const kept = await before.getRepository(Consultation).save({ code: 'C-KEPT', patientId: patient.id, channel: 'telegram' });
    const audit = before.getRepository(AuditEntry);
    // As written before the fix: the case only, no patient.
    await audit.insert([
      {
        direction: 'action',
        actor: 'doctor:501',
        action: 'answer',
        consultationId: kept.id,
        detail: 'Apply the cream twice a day',
      },
      {
        direction: 'action',
        actor: 'doctor:501',
        action: 'answer',
        consultationId: 'a-case-erased-with-its-patient',
        detail: 'Come on Monday',
      },
      { direction: 'action', actor: 'patient', action: 'consent', patientId: patient.id, detail: 'v1' },
    ]);
    await before.destroy();

    const after = await open(MIGRATIONS);
    const rows = await after.getRepository(AuditEntry).find({ order: { id: 'ASC' } });
    await after.destroy();
    expect(rows.map((r) => [r.consultationId, r.patientId, r.detail])).toEqual([
      [kept.id, patient.id, 'Apply the cream twice a day'], // now erased with its patient
      ['a-case-erased-with-its-patient', null, null],
      [null, patient.id, 'v1'],
    ]);
  });
});
