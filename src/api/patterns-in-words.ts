// Pure data: the web UI bundles it for its hints. A test fails when a pattern of the CRD is missing here.

/**
 * What each pattern of the Tenant CRD allows, in words, keyed by the pattern exactly as the CRD writes it:
 * messages and hints say this, never the regular expression (which stays in the JSON error, for machines).
 */
export const patternsInWords: Readonly<Record<string, string>> = {
  '^[a-z]([-a-z0-9]*[a-z0-9])?$':
    'a DNS label: lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$':
    'a DNS label: lowercase letters, digits and dashes, starting and ending with a letter or digit',
  '^[A-Za-z0-9._%+-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$':
    'an email address such as team-lead@example.com',
  '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$':
    'a label value such as CC-12345: letters, digits, dashes, underscores and dots, starting and ending with a letter or digit',
  '^[A-Za-z0-9]([A-Za-z0-9 ._@-]*[A-Za-z0-9])?$':
    'a group name: letters, digits, spaces, dots, underscores, @ and dashes (no commas), starting and ending with a letter or digit',
  '^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$':
    'a Kubernetes quantity such as 4, 500m or 8Gi (a number without a sign, optionally with a unit such as m, Mi, Gi, Ti)',
  '^(https://[^\\s]+|ssh://[^\\s]+|git@[A-Za-z0-9.-]+:[^\\s]+|file:///[^\\s]*)$':
    'a Git repository URL starting with https://, ssh://, git@<host>: or file:///, without spaces',
  '^[^\\s]*$': 'text without spaces',
  '^[^\\s]+$': 'text without spaces',
  '^1\\.[0-9]{1,2}$': 'a Kubernetes minor version such as 1.36 (the platform chooses the patch release)',
};

/** What each string format of the Tenant CRD allows, in words. */
export const formatsInWords: Readonly<Record<string, string>> = {
  'date-time': 'a date and time such as 2025-01-31T09:30:00Z',
};
