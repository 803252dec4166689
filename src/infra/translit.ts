// Latin transliteration of Russian text, lower case and ASCII only: for names a machine keeps where Cyrillic does not
// travel safely — the dataset's logins, the yearly archive's file names (a manifest path is `[a-z0-9_-]`,
// src/backup/manifest.ts).

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/** «Щукина» → `shchukina`; `other(ch)` for a character that is neither Cyrillic nor `[a-z0-9]` (default: dropped). */
export function translit(text: string, other: (ch: string) => string = () => ''): string {
  let out = '';
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? (/[a-z0-9]/.test(ch) ? ch : other(ch));
  return out;
}
