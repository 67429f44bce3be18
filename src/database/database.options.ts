import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@/config/app-config';
import { AuditEntry } from '@/audit/audit-entry.entity';
import { Consultation } from '@/consultations/consultation.entity';
import { Doctor } from '@/doctors/doctor.entity';
import { Patient } from '@/patients/patient.entity';
import { OutreachWorker } from '@/outreach/outreach-worker.entity';
import { InitialSchema1795000000000 } from './migrations/1795000000000-initial-schema';
import { Outreach1795000000001 } from './migrations/1795000000001-outreach';
import { Outbox1795000000002 } from './migrations/1795000000002-outbox';
import { AuditPatientLinks1795000000003 } from './migrations/1795000000003-audit-patient-links';
import { HandledUpdates1795000000004 } from './migrations/1795000000004-handled-updates';
import { OutboxKeys1795000000005 } from './migrations/1795000000005-outbox-keys';
import { UpdateClaims1795000000006 } from './migrations/1795000000006-update-claims';
import { DeliveryReports1795000000007 } from './migrations/1795000000007-delivery-reports';
import { ChatMenus1795000000008 } from './migrations/1795000000008-chat-menus';
import { HandledUpdate } from '@/bots/shared/handled-update.entity';
import { ChatMenu } from '@/bots/whatsapp/chat-menu.entity';
import { ConversationWindow } from '@/bots/whatsapp/cloud/conversation-window.entity';
import { OutboxMessage } from '@/outbox/outbox-message.entity';

export const ENTITIES = [
  Patient,
  Consultation,
  AuditEntry,
  Doctor,
  OutreachWorker,
  OutboxMessage,
  HandledUpdate,
  ConversationWindow,
  ChatMenu,
];
export const MIGRATIONS = [
  InitialSchema1795000000000,
  Outreach1795000000001,
  Outbox1795000000002,
  AuditPatientLinks1795000000003,
  HandledUpdates1795000000004,
  OutboxKeys1795000000005,
  UpdateClaims1795000000006,
  DeliveryReports1795000000007,
  ChatMenus1795000000008,
];

/** TypeORM options for the configured database; migrations run at start, never `synchronize`. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false } as const;
  if (config.database.type === 'postgres') {
    return { type: 'postgres', url: config.database.url, ...common };
  }
  return { type: 'sqlite', database: config.database.path, busyTimeout: 5000, ...common };
}

/**
 * Options for `save()` of one row. TypeORM's SQLite driver shares one connection among all callers,
 * so a transaction opened by `save()` takes in whatever other statements run meanwhile (and rolls
 * them back if its own fails), and with a second connection on the same file it can deadlock
 * (SQLITE_BUSY at once, the busy timeout does not apply). One statement needs no transaction.
 */
export const NO_TRANSACTION = { transaction: false } as const;
