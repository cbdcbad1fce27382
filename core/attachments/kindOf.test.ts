import { describe, expect, it } from 'vitest';
import { CouncilError } from '../errors.js';
import { kindOf, looksLikeText } from './kindOf.js';
import { minimalPdf } from './minimalPdf.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('kindOf', () => {
  it.each([
    { name: 'app.log', data: text('2026-01-01 ERROR boom\n'), kind: 'text' },
    { name: 'fix.diff', data: text('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n'), kind: 'text' },
    { name: 'data.csv', data: text('a,b\n1,2\n'), kind: 'text' },
    { name: 'conf.yaml', data: text('a: 1\n'), kind: 'text' },
    { name: 'main.ts', data: text('export const x = "é";\n'), kind: 'text' },
    { name: 'no-extension', data: text('plain words'), kind: 'text' },
    { name: 'design.pdf', data: minimalPdf(['hello']), kind: 'pdf' },
    { name: 'shot.png', data: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), kind: 'image' },
    { name: 'photo.jpg', data: bytes(0xff, 0xd8, 0xff, 0xe0), kind: 'image' },
    { name: 'anim.gif', data: text('GIF89a'), kind: 'image' },
    { name: 'pic.webp', data: bytes(0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50), kind: 'image' },
    // The bytes decide, not the name: a PNG named .txt is an image.
    { name: 'liar.txt', data: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), kind: 'image' },
  ])('$name is $kind', ({ name, data, kind }) => {
    expect(kindOf(name, data)).toBe(kind);
  });

  it.each([
    { name: 'bundle.zip', data: bytes(0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff), says: 'bundle.zip is a .zip file, which Council cannot read' },
    { name: 'tool', data: bytes(0x7f, 0x45, 0x4c, 0x46, 0, 1), says: 'tool is a binary file, which Council cannot read' },
    { name: 'latin1.txt', data: bytes(0x63, 0x61, 0x66, 0xe9, 0x21), says: 'latin1.txt is a .txt file' },
  ])('refuses $name in one line', ({ name, data, says }) => {
    let error: unknown;
    try {
      kindOf(name, data);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CouncilError);
    expect((error as CouncilError).code).toBe('unsupported_media_type');
    expect((error as CouncilError).message).toContain(says);
    expect((error as CouncilError).message).not.toContain('\n');
  });

  it('a multi-byte character split at the sample edge is still text', () => {
    const big = text(`${'a'.repeat(64 * 1024 - 1)}é and more`);
    expect(looksLikeText(big)).toBe(true);
  });
});
