/**
 * The parts of the Cloud API's webhook payload (field `messages`) the adapter reads. These types stop
 * here: the normalizer turns them into the messaging vocabulary.
 */
export interface CloudWebhook {
  object?: string;
  entry?: { id?: string; changes?: { field?: string; value?: CloudChangeValue }[] }[];
}

export interface CloudChangeValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: { wa_id?: string; profile?: { name?: string } }[];
  messages?: CloudInboundMessage[];
  statuses?: CloudStatus[];
}

export interface CloudInboundMessage {
  from: string;
  id: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  type: string;
  text?: { body?: string };
  image?: CloudMedia & { caption?: string };
  document?: CloudMedia & { filename?: string; caption?: string };
  interactive?: {
    /** `button_reply` or `list_reply` (others are ignored). */
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string; description?: string };
  };
  /** A template's quick-reply button. */
  button?: { payload?: string; text?: string };
  context?: { from?: string; id?: string };
}

export interface CloudMedia {
  id?: string;
  mime_type?: string;
  sha256?: string;
}

export interface CloudStatus {
  id: string;
  /** sent, delivered, read, failed (others are ignored). */
  status: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: { code?: number; title?: string; message?: string }[];
}
