// Types only: the web UI imports it too, so it must not import anything that needs Node.

/** GET /api/v1/houses: whether houses are offered, the Kubernetes minors served and the default. */
export interface HousesAnswer {
  enabled: boolean;
  /** Oldest first; each minor with the patch release the platform runs for it. */
  kubernetesVersions: { minor: string; release: string }[];
  defaultKubernetesVersion: string;
}
