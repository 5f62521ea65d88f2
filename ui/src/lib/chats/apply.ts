// One live change applied to the chats state, as a pure function. The
// caller hands in a state whose `messages` and `dialogs` arrays are its own
// copies: a batch of changes mutates them in place, so a burst of thousands
// of events costs one copy of each, not one per event.
import type { ChatEvent } from '../bindings/ChatEvent';
import type { ChatsState } from '../stores/chats';

/** Channels' Bot API ids are below -10^12. */
export const isChannel = (chat: number) => chat < -1_000_000_000_000;

/**
 * Applies one live change to `v`, whose arrays are this batch's own copies
 * (so a burst of thousands of events costs one copy, not one each).
 */
export function applyEvent(v: ChatsState, e: ChatEvent): ChatsState {
  const isHere = (channel: number | null, chat: number | null) =>
    chat !== null && (channel === null ? !isChannel(chat) : channel === chat);
  switch (e.kind) {
    case 'new': {
      const m = e.message;
      const open = v.chat === m.chat;
      if (open && !v.hasNewer && !v.messages.some((x) => x.id === m.id)) v.messages.push(m);
      const index = v.dialogs.findIndex((d) => d.chat === m.chat);
      if (index >= 0) {
        const old = v.dialogs[index];
        // A dialog page fetched after the message arrived already has it as its top and
        // in its unread count (ids only grow within one box or channel): count it once.
        if (old.top !== null && old.top.id >= m.id) return v;
        const unread = !m.out && !open && m.id > old.read_inbox_max_id ? 1 : 0;
        const d = { ...old, top: m, unread_count: old.unread_count + unread };
        v.dialogs.splice(index, 1);
        const at = d.pinned ? 0 : v.dialogs.findIndex((x) => !x.pinned);
        v.dialogs.splice(at < 0 ? v.dialogs.length : at, 0, d);
      }
      return v;
    }
    case 'edited': {
      const m = e.message;
      if (v.chat === m.chat) {
        const i = v.messages.findIndex((x) => x.id === m.id);
        if (i >= 0) v.messages[i] = m;
      }
      const j = v.dialogs.findIndex((d) => d.chat === m.chat && d.top?.id === m.id);
      if (j >= 0) v.dialogs[j] = { ...v.dialogs[j], top: m };
      return v;
    }
    case 'deleted': {
      const ids = new Set(e.ids);
      const messages = isHere(e.channel, v.chat) ? v.messages.filter((x) => !ids.has(x.id)) : v.messages;
      const dialogs = v.dialogs.map((d) => {
        if (!isHere(e.channel, d.chat) || !d.top || !ids.has(d.top.id)) return d;
        return { ...d, top: d.chat === v.chat ? messages[messages.length - 1] ?? null : null };
      });
      return { ...v, messages, dialogs };
    }
    case 'read_inbox': {
      const i = v.dialogs.findIndex((d) => d.chat === e.chat);
      if (i >= 0) v.dialogs[i] = { ...v.dialogs[i], unread_count: e.still_unread, read_inbox_max_id: e.max_id };
      return v;
    }
    case 'read_outbox': {
      const i = v.dialogs.findIndex((d) => d.chat === e.chat);
      if (i >= 0) {
        const d = v.dialogs[i];
        v.dialogs[i] = { ...d, read_outbox_max_id: Math.max(d.read_outbox_max_id, e.max_id) };
      }
      return v;
    }
    case 'reload':
      return v;
  }
}
