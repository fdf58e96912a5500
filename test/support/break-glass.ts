/** The platform's break-glass group, which Landlord's admission policies let through (and mark in the audit log). */
export const breakGlassGroup = 'landlord:break-glass';

/**
 * Headers that act as an engineer on call in the break-glass group (cluster-admin by deploy/admission/break-glass.yaml):
 * the only way left, besides the operator, to change Landlord's objects by hand, as drift tests must.
 */
export const asBreakGlass = { 'Impersonate-User': 'on-call@financecore.example', 'Impersonate-Group': breakGlassGroup };
