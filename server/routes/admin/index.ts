// Administration (contracts.md §3), behind the admin token, one plugin per resource: elections,
// centres, the register import, enrolment codes, integration tokens, devices, audit alerts and
// the administrators' record. Each action that changes something appends its admin_events row
// in its own transaction (ledger/admin-events.ts); GET /v1/admin/events reads them back.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerContext } from '../../context';
import { auditAlertRoutes } from './audit-alerts';
import { centreAdminRoutes } from './centres';
import { deviceRoutes } from './devices';
import { electionRoutes } from './elections';
import { enrolmentCodeRoutes } from './enrolment-codes';
import { adminEventRoutes } from './events';
import { integrationTokenRoutes } from './integration-tokens';
import { registerRoutes } from './register';

export const adminRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, options) => {
  for (const plugin of [electionRoutes, centreAdminRoutes, registerRoutes, enrolmentCodeRoutes, integrationTokenRoutes, deviceRoutes, auditAlertRoutes, adminEventRoutes]) {
    await app.register(plugin, options);
  }
};
