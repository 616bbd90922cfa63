/**
 * The README's start command, read from its Quick start: the first code block under `## Quick start`, the line whose
 * comment names the address the app serves on (`npm ci && npm start     # the app and API on http://…`), its last
 * command. The deployment files are held to it, so the README and the image cannot start Causeway differently.
 */
export function startCommandOf(readme: string): string {
  const section = /^## Quick start\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Quick start" section');
  const block = /^```\w*\n([\s\S]*?)^```/m.exec(section)?.[1];
  if (block === undefined) throw new Error('the Quick start has no code block');
  const line = block.split('\n').find((l) => /#.*https?:\/\//.test(l));
  if (line === undefined) throw new Error('no line of the Quick start block says where the app serves');
  const commands = (line.split('#')[0] as string).split('&&').map((c) => c.trim()).filter((c) => c !== '');
  const command = commands.at(-1);
  if (command === undefined) throw new Error(`no command on the Quick start line: ${line}`);
  return command;
}
