/**
 * The CJK font printed cards are set in: Noto Sans SC (思源黑体, SIL OFL 1.1) as whole OTF files
 * from the `@embedpdf/fonts-sc` package, so a clean `npm install` brings it (also on CloudBase, which
 * installs the card function's package.json). pdfkit embeds only the glyphs a PDF uses (a subset).
 *
 * The files are found next to the package's entry: its `exports` map hides the font paths from
 * `require.resolve`, and the function bundle keeps this lookup at run time (fonts are never bundled).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface CardFonts {
  regular: Buffer;
  bold: Buffer;
}

/** Named through a constant so the bundler leaves the lookup to run time. */
const FONT_PACKAGE = '@embedpdf/fonts-sc';

let fonts: CardFonts | undefined;

function fontDir(): string {
  return path.join(path.dirname(require.resolve(FONT_PACKAGE)), '..', 'fonts');
}

/** Read once per instance (about 17 MB for both weights). */
export function cardFonts(): CardFonts {
  if (!fonts) {
    const dir = fontDir();
    fonts = {
      regular: readFileSync(path.join(dir, 'NotoSansHans-Regular.otf')),
      bold: readFileSync(path.join(dir, 'NotoSansHans-Bold.otf')),
    };
  }
  return fonts;
}
