import { describe, expect, it } from 'vitest';
import { errorReceived, readReceived } from '../events';
import { conversationRead } from '../intents';
import { reduce } from '../test/reduce';

const read = (upToSeq: number) => conversationRead({ conversationId: 1, upToSeq });
const echo = (upToSeq: number) => readReceived({ conversation_id: 1, up_to_seq: upToSeq, reader_is_me: true });

describe('reads slice', () => {
  it('a read further than the server knows is kept until its echo covers it', () => {
    let s = reduce(undefined, read(5));
    expect(s.reads.unconfirmed).toEqual({ 1: 5 });
    s = reduce(s, read(7));
    expect(s.reads.unconfirmed).toEqual({ 1: 7 });
    s = reduce(s, echo(5));
    expect(s.reads.unconfirmed).toEqual({ 1: 7 });
    s = reduce(s, echo(7));
    expect(s.reads).toEqual({ unconfirmed: {}, confirmed: { 1: 7 } });
  });

  it('a read the server already has is a no-op; so is the other side reading', () => {
    const s = reduce(undefined, echo(7));
    expect(reduce(s, read(6))).toBe(s);
    expect(reduce(s, readReceived({ conversation_id: 1, up_to_seq: 9, reader_is_me: false }))).toBe(s);
  });

  it('a refusal drops it; a rate limit keeps it for the next try', () => {
    const s = reduce(undefined, read(5));
    expect(reduce(s, errorReceived({ code: 'rate_limited', message: 'slow down', conversation_id: 1 }))).toBe(s);
    expect(reduce(s, errorReceived({ code: 'not_found', message: 'conversation not found', conversation_id: 1 })).reads.unconfirmed).toEqual({});
  });
});
