/**
 * Font files for PDF letters. Word and WPS find 仿宋_GB2312 and 方正小标宋简体 by name on
 * government machines; a PDF must embed real files. Each role takes the file (and, for a .ttc
 * collection, the face) from RECTIFY_FONT_<ROLE> as "path" or "path#PostScriptName", else the
 * free fonts Debian ships (apt: fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei). A role
 * with no usable file is an error naming what to install or set — never a PDF of empty boxes.
 */
import fs from 'node:fs';
import * as fontkit from 'fontkit';

export const FONT_ROLES = ['title', 'body', 'heading1', 'heading2'] as const;
export type FontRole = (typeof FONT_ROLES)[number];
export interface FontFile {
  path: string;
  /** The face inside a .ttc collection. */
  postscriptName?: string;
}
export type FontSet = Record<FontRole, FontFile>;

const DEBIAN: Record<FontRole, FontFile[]> = {
  title: [{ path: '/usr/share/fonts/truetype/arphic/uming.ttc', postscriptName: 'UMingCN' }, { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc', postscriptName: 'NotoSerifCJKsc-Bold' }],
  body: [{ path: '/usr/share/fonts/truetype/arphic/uming.ttc', postscriptName: 'UMingCN' }, { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular' }],
  heading1: [{ path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei' }, { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' }],
  heading2: [{ path: '/usr/share/fonts/truetype/arphic/ukai.ttc', postscriptName: 'UKaiCN' }, { path: '/usr/share/fonts/truetype/arphic/uming.ttc', postscriptName: 'UMingCN' }],
};

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
  const [path, postscriptName] = spec.split('#');
  return postscriptName ? { path: path!, postscriptName } : { path: path! };
}

/** The font set from the environment and the system; throws FontError naming every missing role. */
export function resolveFonts(env: NodeJS.ProcessEnv = process.env): FontSet {
  const out: Partial<FontSet> = {};
  const missing: string[] = [];
  for (const role of FONT_ROLES) {
    const configured = env[`RECTIFY_FONT_${role.toUpperCase()}`];
    const candidates = configured ? [parse(configured)] : DEBIAN[role];
    const found = candidates.find((f) => fs.existsSync(f.path));
    if (found) out[role] = found;
    else missing.push(configured ? `${role}: RECTIFY_FONT_${role.toUpperCase()}=${configured} does not exist` : `${role}: none of ${DEBIAN[role].map((f) => f.path).join(', ')}`);
  }
  if (missing.length) {
    throw new FontError(
      `PDF letters need Chinese fonts. Missing — ${missing.join('; ')}. Install them (Debian: apt-get install fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei) or set RECTIFY_FONT_TITLE / _BODY / _HEADING1 / _HEADING2 to font files ("path" or "path#PostScriptName" for a .ttc).`,
    );
  }
  return out as FontSet;
}

type Face = { hasGlyphForCodePoint(cp: number): boolean; postscriptName: string };
const faces = new Map<string, Face>();

/** Opens a font file (the named face of a collection) once. */
export function openFace(f: FontFile): Face {
  const key = `${f.path}#${f.postscriptName ?? ''}`;
  let face = faces.get(key);
  if (!face) {
    const opened = fontkit.openSync(f.path, f.postscriptName) as unknown as Face & { fonts?: Face[] };
    if (opened.fonts) throw new FontError(`${f.path} is a font collection: name the face, e.g. ${f.path}#${opened.fonts[0]!.postscriptName}`);
    face = opened;
    faces.set(key, face);
  }
  return face;
}

/** Every character of `text` the font cannot draw (whitespace aside). */
export function missingGlyphs(f: FontFile, text: string): string[] {
  const face = openFace(f);
  return [...new Set([...text].filter((c) => !/\s/.test(c) && !face.hasGlyphForCodePoint(c.codePointAt(0)!)))];
}
