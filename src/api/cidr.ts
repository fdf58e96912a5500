/** Why a value is not a CIDR such as 10.0.0.1/32 or fd00::1/128 (the form a NetworkPolicy ipBlock takes), or undefined. */
export function cidrProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  const [address = '', prefix, ...rest] = value.split('/');
  if (prefix === undefined || rest.length > 0 || !/^[0-9]{1,3}$/.test(prefix))
    return 'is not a CIDR: write an address and a prefix length, such as 10.0.0.1/32';
  const family = address.split('.').length === 4 ? ipv4Problem(address) : ipv6Problem(address);
  if (typeof family === 'string') return family;
  return Number(prefix) <= family.maxPrefix
    ? undefined
    : `has prefix length /${prefix}; an ${family.name} prefix is at most /${family.maxPrefix}`;
}

type Family = { name: string; maxPrefix: number };

function ipv4Problem(address: string): Family | string {
  const valid = address.split('.').every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255);
  return valid ? { name: 'IPv4', maxPrefix: 32 } : `has an IPv4 address "${address}" with a part outside 0-255`;
}

function ipv6Problem(address: string): Family | string {
  const halves = address.split('::');
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  const valid =
    halves.length <= 2 &&
    groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group)) &&
    (halves.length === 1 ? groups.length === 8 : groups.length <= 7);
  return valid ? { name: 'IPv6', maxPrefix: 128 } : `has "${address}", which is neither an IPv4 nor an IPv6 address`;
}
