/** The forge organisation tenants' repositories and teams live in (the repository factory creates them there). */
export const tenantsOrganization = 'tenants';

/** The forge's administrator account Landlord acts as; its access token is kept in a 0600 file. */
export const forgeAdminUser = 'landlord';

/** The name of the forge's LDAP authentication source: the directory people sign in with. */
export const directorySourceName = 'directory';
