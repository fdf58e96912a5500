import type { FastifyInstance } from 'fastify';
import type { PortalContext } from '../context.ts';
import { requireUser } from '../guards.ts';
import { houseOffer } from '../house-offer.ts';
import type { HousesAnswer } from '../houses-answer.ts';

/** The answer's shape, for the OpenAPI description and the serializer (which sends nothing it does not list). */
const answerSchema = {
  type: 'object',
  required: ['enabled', 'kubernetesVersions', 'defaultKubernetesVersion'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean', description: 'Whether tenants with isolation: vcluster (houses) are offered.' },
    kubernetesVersions: {
      type: 'array',
      description: 'The Kubernetes minor versions a house may run, oldest first.',
      items: {
        type: 'object',
        required: ['minor', 'release'],
        additionalProperties: false,
        properties: {
          minor: { type: 'string', description: 'What spec.kubernetesVersion names, such as 1.36.' },
          release: { type: 'string', description: 'The patch release the platform runs for it, such as v1.36.3.' },
        },
      },
    },
    defaultKubernetesVersion: { type: 'string', description: 'The minor a house runs when the request names none.' },
  },
};

/** What houses the platform offers, for the request form: signed-in people only. */
export function registerHouseRoutes(app: FastifyInstance, context: PortalContext): void {
  app.get(
    '/api/v1/houses',
    {
      schema: {
        summary: 'Houses (isolation: vcluster): whether offered, the Kubernetes versions served and the default',
        tags: ['houses'],
        response: { 200: answerSchema },
      },
    },
    async (request): Promise<HousesAnswer> => {
      requireUser(request);
      return houseOffer(context.platform.houses);
    },
  );
}
