import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCallArgs, jsonOf, loadRequestCorpus } from '../../src/runtime/original/index.js';

/** Call-style corpus cases: the JSON forms of arguments in, and the JSON form of values out. */
describe('call-style cases', () => {
  it('decodes bytes, filled bytes, undefined and wrapped objects, and leaves other JSON as it is', () => {
    const [bytes, filled, undef, wrapped, plain] = decodeCallArgs([{ base64: 'AQID' }, { filled: { length: 3, byte: 9 } }, { $undefined: true }, { $object: { base64: 'x' } }, { a: [1, 'b', null] }]);
    expect(bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(filled).toEqual(new Uint8Array([9, 9, 9]));
    expect(undef).toBeUndefined();
    expect(wrapped).toEqual({ base64: 'x' });
    expect(plain).toEqual({ a: [1, 'b', null] });
  });

  it('reads values back in the same forms, exactly: bytes, typed arrays, -0, class instances, objects that would read as a form', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    expect(jsonOf({ preview: new Uint8Array([1, 2, 3]), n: -0, big: 2n ** 70n, u: undefined })).toEqual({ preview: { base64: 'AQID' }, n: { $number: '-0' }, big: { $bigint: '1180591620717411303424' }, u: { $undefined: true } });
    expect(jsonOf(new Uint32Array([1, 2]))).toEqual({ $typed: 'Uint32Array', values: [1, 2] });
    expect(jsonOf(new Point(1))).toEqual({ $class: 'Point', props: { x: 1 } });
    expect(jsonOf({ base64: 'AQID' })).toEqual({ $object: { base64: 'AQID' } });
    expect(jsonOf({ $date: 1 })).toEqual({ $object: { $date: 1 } });
    // What decodes to an object reads back as that object.
    const [round] = decodeCallArgs([jsonOf({ base64: 'AQID' }) as never]);
    expect(round).toEqual({ base64: 'AQID' });
  });

  it('a corpus case has a request or args, never both or neither, and its forms are checked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-corpus-'));
    const write = (cases: unknown): string => {
      const file = path.join(dir, 'requests.json');
      fs.writeFileSync(file, JSON.stringify(cases));
      return file;
    };
    const request = { method: 'GET', url: 'https://x.example/' };
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e', args: [{ base64: 'AQID' }], dom: [{ tag: 'input', id: 'q', value: 'v' }] }]))).not.toThrow();
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e', request, args: [] }]))).toThrow(/either a request or args/);
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e' }]))).toThrow(/either a request or args/);
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e', args: [{ base64: 'not base64!' }] }]))).toThrow(/valid base64/);
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e', args: [{ filled: { length: 2, byte: 256 } }] }]))).toThrow(/byte 0–255/);
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e', args: [[{ $date: 1 }]] }]))).toThrow(/reserved/);
    expect(() => loadRequestCorpus(write([{ name: 'a', entry: 'e', args: [], dom: [{ tag: 'div', value: 'x' }] }]))).toThrow(/no string value/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
