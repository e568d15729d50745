/** A small argument parser: positionals, `--flag`, `-v` (single letters), `--key value` and `--key=value`. */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], valued: string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (/^-[a-zA-Z]+$/.test(arg)) {
      for (const letter of arg.slice(1)) flags.set(letter, true);
      continue;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(key, inline);
    else if (valued.includes(key) && i + 1 < argv.length) flags.set(key, argv[++i]!);
    else flags.set(key, true);
  }
  return { positionals, flags };
}
