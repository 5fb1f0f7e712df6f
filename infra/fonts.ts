/**
 * Font files for PDF letters. Word and WPS find 仿宋_GB2312 and 方正小标宋简体 by name on
 * government machines; a PDF must embed real files. Each role (title 小标宋, body 仿宋, heading1
 * 黑体, heading2 楷体) has a fallback CHAIN, tried per character: the first font of the chain
 * that has a character draws it, so a rare character in a person's or a unit's name (喆, 堃, 𠀾)
 * that the GB2312 fonts lack still prints, from the next font that has it. A character no font
 * of its chain has is an error naming it — never a PDF of empty boxes.
 *
 * The chain of a role: RECTIFY_FONT_<ROLE> first when set ("path" or "path#PostScriptName" for a
 * .ttc; it must exist), then the free fonts found on this machine, in order:
 *   - the Fandol fonts (FandolSong Bold / FandolFang / FandolHei / FandolKai, GB2312 coverage,
 *     GPL with the font exception), closest to the 公文 faces: extracted from Debian's
 *     texlive-lang-chinese into RECTIFY_CACHE_DIR/fonts/fandol by scripts/provision-fonts.sh;
 *   - Debian's AR PL UMing / UKai and WenQuanYi Zen Hei (apt: fonts-arphic-uming
 *     fonts-arphic-ukai fonts-wqy-zenhei), which cover far more characters (CJK Extension B too);
 *   - Noto CJK where installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fontkit from 'fontkit';

export const FONT_ROLES = ['title', 'body', 'heading1', 'heading2'] as const;
export type FontRole = (typeof FONT_ROLES)[number];
export interface FontFile {
  path: string;
  /** The face inside a .ttc collection. */
  postscriptName?: string;
}
/** Fonts tried in order, per character. */
export type FontChain = FontFile[];
export type FontSet = Record<FontRole, FontChain>;
/** A chain, or one font (a chain of one). */
export type FontSpec = FontFile | readonly FontFile[];

export const chainOf = (f: FontSpec): readonly FontFile[] => (Array.isArray(f) ? f : [f as FontFile]);

/** Where scripts/provision-fonts.sh puts the Fandol fonts: RECTIFY_CACHE_DIR/fonts/fandol. */
export function fandolDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.RECTIFY_CACHE_DIR || path.join(os.homedir(), '.cache', 'rectify'), 'fonts', 'fandol');
}

const UMING = { path: '/usr/share/fonts/truetype/arphic/uming.ttc', postscriptName: 'UMingCN' };
const UKAI = { path: '/usr/share/fonts/truetype/arphic/ukai.ttc', postscriptName: 'UKaiCN' };
const ZENHEI = { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei' };

/** The default chain of every role, in order of preference. */
export function defaultChains(env: NodeJS.ProcessEnv = process.env): Record<FontRole, FontFile[]> {
  const fandol = (name: string): FontFile => ({ path: path.join(fandolDir(env), `${name}.otf`) });
  return {
    title: [fandol('FandolSong-Bold'), UMING, { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc', postscriptName: 'NotoSerifCJKsc-Bold' }],
    body: [fandol('FandolFang-Regular'), UMING, { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular' }],
    heading1: [fandol('FandolHei-Regular'), ZENHEI, { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' }, UMING],
    heading2: [fandol('FandolKai-Regular'), UKAI, UMING],
  };
}

export class FontError extends Error {}

/**
 * The font set, resolved on first use and kept; a miss is not kept, so installing the fonts
 * needs no restart. Every renderer of a process shares this rule.
 */
export function fontsOnce(resolve: () => FontSet = resolveFonts): () => FontSet {
  let found: FontSet | undefined;
  return () => (found ??= resolve());
}

function parse(spec: string): FontFile {
  const [p, postscriptName] = spec.split('#');
  return postscriptName ? { path: p!, postscriptName } : { path: p! };
}

/** The font chains from the environment and the system; throws FontError naming every role without a font. */
export function resolveFonts(env: NodeJS.ProcessEnv = process.env): FontSet {
  const out: Partial<FontSet> = {};
  const missing: string[] = [];
  const defaults = defaultChains(env);
  for (const role of FONT_ROLES) {
    const configured = env[`RECTIFY_FONT_${role.toUpperCase()}`];
    if (configured && !fs.existsSync(parse(configured).path)) {
      missing.push(`${role}: RECTIFY_FONT_${role.toUpperCase()}=${configured} does not exist`);
      continue;
    }
    const chain = [...(configured ? [parse(configured)] : []), ...defaults[role].filter((f) => fs.existsSync(f.path))];
    if (chain.length) out[role] = chain;
    else missing.push(`${role}: none of ${defaults[role].map((f) => f.path).join(', ')}`);
  }
  if (missing.length) {
    throw new FontError(
      `PDF letters need Chinese fonts. Missing — ${missing.join('; ')}. Run scripts/ensure-installed.sh (Fandol fonts into the cache; Debian: apt-get install fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei) or set RECTIFY_FONT_TITLE / _BODY / _HEADING1 / _HEADING2 to font files ("path" or "path#PostScriptName" for a .ttc).`,
    );
  }
  return out as FontSet;
}

export type Face = { hasGlyphForCodePoint(cp: number): boolean; postscriptName: string };
const faces = new Map<string, Face>();

export const fontKey = (f: FontFile): string => `${f.path}#${f.postscriptName ?? ''}`;

/** Opens a font file (the named face of a collection) once. */
export function openFace(f: FontFile): Face {
  const key = fontKey(f);
  let face = faces.get(key);
  if (!face) {
    const opened = fontkit.openSync(f.path, f.postscriptName) as unknown as Face & { fonts?: Face[] };
    if (opened.fonts) throw new FontError(`${f.path} is a font collection: name the face, e.g. ${f.path}#${opened.fonts[0]!.postscriptName}`);
    face = opened;
    faces.set(key, face);
  }
  return face;
}

/** Characters drawn by no font: whitespace and line breaks. */
const isBlank = (c: string) => /\s/.test(c);

/** The index in `chain` of the first font that has `c` (-1: none has it; whitespace: 0). */
export function fontIndexFor(chain: FontSpec, c: string): number {
  const fonts = chainOf(chain);
  if (isBlank(c)) return 0;
  const cp = c.codePointAt(0)!;
  return fonts.findIndex((f) => openFace(f).hasGlyphForCodePoint(cp));
}

/**
 * `text` cut into runs each drawn by one font of the chain: the first font that has a
 * character draws it. Throws FontError if a character is in no font of the chain.
 */
export function fontRuns(chain: FontSpec, text: string): { font: number; text: string }[] {
  const runs: { font: number; text: string }[] = [];
  for (const c of text) {
    const i = fontIndexFor(chain, c);
    if (i < 0) throw new FontError(`no font of ${chainOf(chain).map(describeFont).join(', ')} can draw ${c}`);
    const last = runs[runs.length - 1];
    if (last && last.font === i) last.text += c;
    else runs.push({ font: i, text: c });
  }
  return runs;
}

export const describeFont = (f: FontFile): string => `${f.path}${f.postscriptName ? `#${f.postscriptName}` : ''}`;

/** Every character of `text` no font of the chain (or the one font) can draw (whitespace aside). */
export function missingGlyphs(chain: FontSpec, text: string): string[] {
  return [...new Set([...text].filter((c) => fontIndexFor(chain, c) < 0))];
}
