import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Doctors' audit entries (claims, answers, diagnoses) were written with the case only, so erasing a
 * patient left the doctor's advice text behind. They now carry the patient; this links the existing
 * ones, and blanks the text of those whose patient has already erased their data (the case is gone).
 */
export class AuditPatientLinks1795000000003 implements MigrationInterface {
  name = 'AuditPatientLinks1795000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `UPDATE audit_entries SET "patientId" = (SELECT CAST(c."patientId" AS VARCHAR(36)) FROM consultations c WHERE CAST(c.id AS VARCHAR(36)) = audit_entries."consultationId")
       WHERE "patientId" IS NULL AND "consultationId" IS NOT NULL`,
    );
    await runner.query(
      `UPDATE audit_entries SET detail = NULL
       WHERE "patientId" IS NULL AND "consultationId" IS NOT NULL AND detail IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM consultations c WHERE CAST(c.id AS VARCHAR(36)) = audit_entries."consultationId")`,
    );
  }

  async down(): Promise<void> {
    // Links and erasures are not undone.
  }
}
