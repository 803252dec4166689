// `ids.contacts`: the e-mail and phone of a parent's or an administrator's `User` (`POST users/many`, platforms.md
// §3.3 [V]: `User{…, email, …, phone}`), which the roster's `Person` lacks — `{person id: {email?, phone?}}`, parsed
// once per string. Only the connector's parent and administrator batches carry it: pupils' contacts are not read.
import type { MapContext } from '../../connectors/mapping.js';
import { contactsOf } from '../kit/contacts.js';

type Contacts = Record<string, { email?: unknown; phone?: unknown }>;
let lastText: string | undefined;
let last: Contacts = {};

export function userContactsOf(ctx: MapContext, personId: string): { emails: string[]; phones: string[] } {
  const text = ctx.ids.contacts;
  if (!text) return { emails: [], phones: [] };
  if (text !== lastText) {
    const parsed = JSON.parse(text) as unknown;
    last = parsed && typeof parsed === 'object' ? parsed as Contacts : {};
    lastText = text;
  }
  const c = last[personId];
  return c ? contactsOf([c.email], [c.phone]) : { emails: [], phones: [] };
}
