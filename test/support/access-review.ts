import type { KubeHttp } from '../../src/kube/http.ts';

/** Who is asked about: a user and the groups the API server would see with them. */
export type Subject = { user: string; groups?: string[] };

/** What a SubjectAccessReview asks of a resource. */
export type ResourceAttributes = {
  verb: string;
  resource: string;
  subresource?: string;
  group?: string;
  namespace?: string;
  name?: string;
};

/** What the API server's authorizer answers for a subject (a SubjectAccessReview). */
export async function subjectMay(http: KubeHttp, subject: Subject, attributes: ResourceAttributes): Promise<boolean> {
  const review = await http.request<{ status: { allowed: boolean } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: { ...subject, resourceAttributes: attributes },
    },
  });
  return review.status.allowed;
}
