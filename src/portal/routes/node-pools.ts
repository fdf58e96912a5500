import type { FastifyInstance } from 'fastify';
import { instanceTypes } from '../../tenancy/node-pool.ts';
import type { PortalContext } from '../context.ts';
import { PortalError } from '../errors.ts';
import { requireUser } from '../guards.ts';
import type { NodePoolsAnswer } from '../node-pools-answer.ts';

/** The answer's shape, for the OpenAPI description and the serializer (which sends nothing it does not list). */
const answerSchema = {
  type: 'object',
  required: ['instanceTypes'],
  additionalProperties: false,
  properties: {
    instanceTypes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['instanceType', 'free'],
        additionalProperties: false,
        properties: {
          instanceType: { type: 'string', enum: [...instanceTypes] },
          free: { type: 'integer', minimum: 0, description: 'Idle spare nodes of this type a pool could claim now.' },
        },
      },
    },
  },
};

/** Free spare nodes by instance type, for the request form: signed-in people only, counts only. */
export function registerNodePoolRoutes(app: FastifyInstance, context: PortalContext): void {
  app.get(
    '/api/v1/node-pools',
    {
      schema: {
        summary: 'Free spare nodes by instance type: what a dedicated node pool can claim now (counts only)',
        tags: ['node-pools'],
        response: { 200: answerSchema },
      },
    },
    async (request): Promise<NodePoolsAnswer> => {
      requireUser(request);
      if (!context.spareNodes) throw new PortalError(503, 'node-pools-unknown', 'this portal does not watch nodes');
      return { instanceTypes: context.spareNodes.free() };
    },
  );
}
