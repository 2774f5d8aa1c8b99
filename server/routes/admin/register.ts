// The register import: the CSV arrives as a stream (app.ts's text/csv parser) and is applied
// all or nothing (register/import-register.ts).
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/protocol/central-api';
import type { ServerContext } from '../../context';
import { refuse, sendProblem } from '../../http/problem';
import { documentedOnly, problems } from '../../http/route-schema';
import { importRegister } from '../../register/import-register';
import { electionNumberOf, electionParams, refuseUnnamedElection } from './election-number';

/** The register import is streamed: its own limit, far above any real register (10 M rows ≈ 0.5 GB). */
const MAX_REGISTER_BYTES = 4 * 2 ** 30;
class RegisterTooLarge extends Error {}

/** Counts bytes as they stream; stops the import (nothing applied) past `max`. */
async function* limitBytes(body: AsyncIterable<Uint8Array | string>, max: number): AsyncGenerator<Uint8Array | string> {
  let total = 0;
  for await (const piece of body) {
    total += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength;
    if (total > max) throw new RegisterTooLarge();
    yield piece;
  }
}

/** For the document only: the stream is read row by row by the import, which says what is wrong with a row. */
const registerCsv = documentedOnly(z.string().describe('ballot_number,issue,status,member_ref,online_code'));

export const registerRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  app.post(
    '/v1/admin/elections/:electionNumber/register',
    {
      config: { audience: 'admin' },
      preValidation: refuseUnnamedElection,
      schema: {
        summary: 'Import the register CSV (streamed; all or nothing)',
        params: electionParams,
        consumes: ['text/csv'],
        body: registerCsv,
        response: { 200: api.registerImportResponse, ...problems(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const electionNumber = electionNumberOf(request.params.electionNumber)!;
      const body = request.body as unknown as Readable | undefined;
      if (!body || typeof body[Symbol.asyncIterator] !== 'function') return sendProblem(reply, refuse(415, 'send the register as text/csv', 'unsupported_media_type'));
      // The import is allowed its time: a big register takes minutes to apply after the upload.
      request.raw.socket.setTimeout(0);
      let r: Awaited<ReturnType<typeof importRegister>>;
      try {
        r = await importRegister(db, electionNumber, limitBytes(body, MAX_REGISTER_BYTES), ctx.hashCode, ctx.now, (fields, message) => request.log.info(fields, message));
      } catch (e) {
        if (e instanceof RegisterTooLarge)
          return sendProblem(reply, refuse(413, `a register file may be at most ${MAX_REGISTER_BYTES / 2 ** 30} GiB; nothing was changed`, 'payload_too_large'));
        throw e;
      }
      if (!r.ok) {
        if (r.error.kind === 'no_election') return sendProblem(reply, refuse(404, `election ${electionNumber} does not exist`, 'not_found'));
        return sendProblem(reply, {
          status: 400,
          detail: `the register has ${r.error.errors.length === 1 ? 'a bad row' : 'bad rows'}; nothing was changed`,
          error: 'invalid_register',
          errors: r.error.errors,
        });
      }
      request.log.info({ electionNumber, ...r.value }, 'register imported');
      return reply.send(r.value);
    },
  );
};
