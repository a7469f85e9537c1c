/** "hd61" → "HD 61", how the programmes are named in guidance documents (HD 61, HD 60, HD 59). Pure. */
export function programmeLabel(code: string): string {
  const m = /^hd\s*(\d+)$/i.exec(code.trim());
  return m ? `HD ${m[1]}` : code.toUpperCase();
}
