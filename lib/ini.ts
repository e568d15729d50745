/** A small INI reader for the configs the kit renders (grafana.ini): [section] and key = value; # and ; start comments. */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = section[1]!;
      sections[current] ??= {};
      continue;
    }
    const [key, ...value] = line.split('=');
    (sections[current] ??= {})[key!.trim()] = value.join('=').trim();
  }
  return sections;
}
