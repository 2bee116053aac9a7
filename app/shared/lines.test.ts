import { describe, expect, it } from 'vitest';
import { LineSplitter, encodeLine } from './lines.js';

const feedAll = (splitter: LineSplitter, chunks: Buffer[]) => chunks.flatMap((c) => splitter.push(c).lines);

describe('LineSplitter', () => {
  it('yields every complete line in a chunk and keeps the unfinished tail for the next one', () => {
    const splitter = new LineSplitter(100);
    expect(splitter.push(Buffer.from('{"a":1}\n{"b":2}\n{"c"'))).toEqual({
      lines: ['{"a":1}', '{"b":2}'],
      overflow: false,
    });
    expect(splitter.push(Buffer.from(':3}\n')).lines).toEqual(['{"c":3}']);
  });

  it('reassembles multi-byte characters split between chunks, even one byte at a time', () => {
    const text = '{"name":"番茄钟 ☕ 休息一下"}';
    const bytes = Buffer.from(`${text}\n`);
    const oneByteChunks = [...bytes].map((b) => Buffer.from([b]));
    expect(feedAll(new LineSplitter(1000), oneByteChunks)).toEqual([text]);
  });

  it('drops a trailing carriage return and skips blank lines', () => {
    expect(new LineSplitter(100).push(Buffer.from('one\r\n\n  \r\ntwo\n')).lines).toEqual(['one', 'two']);
  });

  it('reports overflow as soon as an unfinished line passes the limit, then ignores input', () => {
    const splitter = new LineSplitter(10);
    expect(splitter.push(Buffer.from('12345')).overflow).toBe(false);
    expect(splitter.push(Buffer.from('678901'))).toEqual({ lines: [], overflow: true });
    expect(splitter.push(Buffer.from('ok\n'))).toEqual({ lines: [], overflow: true });
  });

  it('accepts a line of exactly the limit and returns lines completed before an overflow', () => {
    const splitter = new LineSplitter(4);
    expect(splitter.push(Buffer.from('abcd\nabcde'))).toEqual({ lines: ['abcd'], overflow: true });
  });
});

describe('encodeLine', () => {
  it('writes one JSON value terminated by a newline', () => {
    expect(encodeLine({ id: 1, text: 'a\nb' })).toBe('{"id":1,"text":"a\\nb"}\n');
  });
});
