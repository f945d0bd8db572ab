const settings = { env: { get: (key: string) => key } };

function env(name: string): string {
  return name;
}

export function config() {
  const args = process.argv.slice(2);
  const cwd = process.cwd();
  const mode = settings.env.get('MODE');
  const local = env('HOME');
  new Map<string, string>().get('API_KEY');
  return [args, cwd, mode, local];
}
