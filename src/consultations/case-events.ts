import { Injectable, Logger } from '@nestjs/common';
import type { Consultation } from './consultation.entity';

/** Events in a case's life that other modules (the doctors' inbox) react to. */
export interface CaseEventMap {
  /** The intake answers changed. */
  intakeUpdated: Consultation;
  /** The patient wrote again about an open case (text is passed for forwarding, never logged). */
  patientFollowUp: { consultation: Consultation; text?: string; photo?: Buffer };
}

type Listener<K extends keyof CaseEventMap> = (payload: CaseEventMap[K]) => Promise<void>;

/** A tiny typed, awaited event bus: listeners run in order and their failures are logged, not lost. */
@Injectable()
export class CaseEvents {
  private readonly logger = new Logger(CaseEvents.name);
  private readonly listeners = new Map<keyof CaseEventMap, ((payload: never) => Promise<void>)[]>();

  on<K extends keyof CaseEventMap>(event: K, listener: Listener<K>): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  /** Runs the listeners in order; resolves to false when one failed (each failure is logged). */
  async emit<K extends keyof CaseEventMap>(event: K, payload: CaseEventMap[K]): Promise<boolean> {
    let ok = true;
    for (const listener of (this.listeners.get(event) ?? []) as Listener<K>[]) {
      try {
        await listener(payload);
      } catch (err) {
        ok = false;
        this.logger.error(`Listener for case event ${event} failed`, (err as Error).stack);
      }
    }
    return ok;
  }

  /** Whether anyone listens for an event (e.g. a patient follow-up is only forwarded if an inbox exists). */
  hasListeners(event: keyof CaseEventMap): boolean {
    return (this.listeners.get(event)?.length ?? 0) > 0;
  }
}
