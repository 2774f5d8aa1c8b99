// The election a path names (/v1/admin/elections/{electionNumber}/…). A number that cannot name
// an election is answered 404 before the body is checked, as for any election that does not exist.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { refuse, sendProblem } from '../../http/problem';

export const electionParams = z.object({ electionNumber: z.string().describe('the election number, 1–9999') });

/** An election number from a path; null when it cannot name an election. */
export function electionNumberOf(param: string): number | null {
  const n = Number(param);
  return Number.isInteger(n) && n >= 1 && n <= 9999 ? n : null;
}

/** preValidation hook of the routes under an election's path. */
export async function refuseUnnamedElection(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { electionNumber } = request.params as { electionNumber: string };
  if (electionNumberOf(electionNumber) === null) return sendProblem(reply, refuse(404, 'no such election', 'not_found'));
  return undefined;
}

export const isUniqueViolation = (e: unknown): boolean => (e as { code?: string })?.code === '23505';
