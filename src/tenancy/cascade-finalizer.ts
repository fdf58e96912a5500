/** Argo CD's finalizer that deletes an Application's resources with it (cascade). */
export const cascadeFinalizer = 'resources-finalizer.argocd.argoproj.io';
