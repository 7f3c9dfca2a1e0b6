/** Host patterns as sandbox-runtime's proxy accepts them: `example.com` or `*.example.com`. */
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function invalidHosts(hosts: readonly string[]): string[] {
  return hosts.filter((h) => !HOST.test(h));
}
