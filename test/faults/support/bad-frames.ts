// A catalogue of frames no honest client sends, each with the error code the server must answer it
// with (CONTRACT section 4: a bad frame gets an `error` event or an error ack; the connection stays).
import { CLIENT_EVENTS, LIMITS, type ClientEventName, type ErrorCode } from '../../../protocol';

export type BadFrame = {
  name: string;
  event: string;
  /** The frame's arguments, without an ack. */
  args: unknown[];
  /** Whether the frame carries an ack callback: then the answer is an error ack, else an `error` event. */
  ack: boolean;
  code: ErrorCode;
};

export type Ids = { mine: number; foreign: number; missing: number };

function validPayload(event: ClientEventName, conversationId: number): Record<string, unknown> {
  switch (event) {
    case 'send_message':
      return { conversation_id: conversationId, message: 'hello', type: 'TEXT', client_id: 'bad-frame' };
    case 'sync':
      return { conversations: [{ conversation_id: conversationId, after_seq: 0 }] };
    case 'mark_read':
      return { conversation_id: conversationId, up_to_seq: 0 };
    case 'edit_message':
      return { conversation_id: conversationId, message_id: 'bad-frame', message: 'hello' };
    case 'delete_message':
      return { conversation_id: conversationId, message_id: 'bad-frame' };
    default:
      return { conversation_id: conversationId };
  }
}

/** The event's valid payload with its conversation id replaced by `id` (whatever type that is). */
function withId(event: ClientEventName, mine: number, id: unknown): unknown {
  if (event === 'sync') return { conversations: [{ conversation_id: id, after_seq: 0 }] };
  return { ...validPayload(event, mine), conversation_id: id };
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { conversation_id: value };
  return value;
}

const EVENTS = CLIENT_EVENTS;
const ACKED: ClientEventName[] = ['send_message', 'mark_complete', 'edit_message', 'delete_message'];
/** Never acked, even when the client asks (CONTRACT section 8): its errors are always `error` events. */
export const NEVER_ACKED: readonly string[] = ['typing'] satisfies ClientEventName[];

export function badFrames({ mine, foreign, missing }: Ids): BadFrame[] {
  const frames: BadFrame[] = [];
  const add = (name: string, event: string, args: unknown[], code: ErrorCode = 'bad_request') => {
    frames.push({ name, event, args, ack: false, code });
    if (!NEVER_ACKED.includes(event)) frames.push({ name: `${name} (acked)`, event, args, ack: true, code });
  };
  const wrongIds: [string, unknown][] = [
    ['id as string', String(mine)],
    ['negative id', -mine],
    ['zero id', 0],
    ['fractional id', mine + 0.5],
    ['huge id', 1e308],
    ['id beyond 2^53', 2 ** 60],
    ['NaN id (null on the wire)', Number.NaN],
    ['Infinity id (null on the wire)', Number.POSITIVE_INFINITY],
    ['id as object', { valueOf: mine }],
    ['id as array', [mine]],
    ['missing id', undefined],
  ];
  for (const event of EVENTS) {
    add(`${event}: no payload`, event, []);
    for (const [name, payload] of [
      ['null', null],
      ['number', 42],
      ['string', 'hello'],
      ['boolean', true],
      ['array', [validPayload(event, mine)]],
      ['empty object', {}],
      ['binary', Buffer.from('\u0000\u0001binary attachment')],
      ['extra field', { ...validPayload(event, mine), extra: 1 }],
      ['__proto__ key', JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(validPayload(event, mine)).slice(1)}`)],
      ['constructor key', { ...validPayload(event, mine), constructor: { prototype: { polluted: true } } }],
      ['deep nesting', nested(2000)],
    ] as [string, unknown][]) {
      add(`${event}: ${name}`, event, [payload]);
    }
    for (const [name, id] of wrongIds) add(`${event}: ${name}`, event, [withId(event, mine, id)]);
    // Non-function "acks": extra arguments where the callback would be are data, not a callback.
    for (const notAFunction of [42, 'callback', { ack: true }]) {
      frames.push({ name: `${event}: bad payload and a non-function ack`, event, args: [null, notAFunction], ack: false, code: 'bad_request' });
    }
    // Someone else's conversation answers exactly like one that does not exist.
    for (const [name, id] of [['another user\'s conversation', foreign], ['a missing conversation', missing]] as const) {
      frames.push({ name: `${event}: ${name}`, event, args: [withId(event, mine, id)], ack: ACKED.includes(event), code: 'not_found' });
    }
  }
  const send = (fields: Record<string, unknown>) => [{ ...validPayload('send_message', mine), ...fields }];
  add('send_message: no text', 'send_message', send({ message: undefined }));
  add('send_message: text as number', 'send_message', send({ message: 5 }));
  add('send_message: text as array', 'send_message', send({ message: ['a'] }));
  add('send_message: text as binary', 'send_message', send({ message: Buffer.from('hi') }));
  add('send_message: blank text', 'send_message', send({ message: ' \n\t ' }));
  add(`send_message: ${LIMITS.messageMaxChars + 1}-char text`, 'send_message', send({ message: 'x'.repeat(LIMITS.messageMaxChars + 1) }), 'too_large');
  add('send_message: type IMAGE', 'send_message', send({ type: 'IMAGE' }));
  add('send_message: type SYSTEM', 'send_message', send({ type: 'SYSTEM' }));
  add('send_message: empty client_id', 'send_message', send({ client_id: '' }));
  add('send_message: 65-char client_id', 'send_message', send({ client_id: 'c'.repeat(LIMITS.clientIdMaxChars + 1) }));
  add('send_message: numeric client_id', 'send_message', send({ client_id: 7 }));
  for (const [name, fields] of [
    ['limit 0', { limit: 0 }],
    ['limit 201', { limit: LIMITS.pageMax + 1 }],
    ['negative limit', { limit: -1 }],
    ['fractional limit', { limit: 1.5 }],
    ['negative before_seq', { before_seq: -1 }],
    ['NaN before_seq', { before_seq: Number.NaN }],
  ] as const) {
    add(`get_messages: ${name}`, 'get_messages', [{ conversation_id: mine, ...fields }]);
  }
  for (const [name, payload] of [
    ['conversations as string', { conversations: 'all' }],
    ['conversations null', { conversations: null }],
    ['a null entry', { conversations: [null] }],
    ['negative after_seq', { conversations: [{ conversation_id: mine, after_seq: -1 }] }],
    ['Infinity after_seq', { conversations: [{ conversation_id: mine, after_seq: Number.POSITIVE_INFINITY }] }],
    ['501 entries', { conversations: Array.from({ length: 501 }, () => ({ conversation_id: mine, after_seq: 0 })) }],
  ] as const) {
    add(`sync: ${name}`, 'sync', [payload]);
  }
  for (const [name, fields] of [['negative up_to_seq', { up_to_seq: -1 }], ['up_to_seq as string', { up_to_seq: '9' }], ['no up_to_seq', { up_to_seq: undefined }]] as const) {
    add(`mark_read: ${name}`, 'mark_read', [{ conversation_id: mine, ...fields }]);
  }
  for (const event of ['hello', 'error', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'SEND_MESSAGE', 'send_message ']) {
    add(`unknown event "${event}"`, event, [validPayload('send_message', mine)]);
  }
  return frames;
}
