/** Injection token for the consumer of normalised patient messages (the journey). */
export const INCOMING_HANDLER = Symbol('INCOMING_HANDLER');
