/**
 * Settles a call into a shape two clients' answers can be compared in: the result, or the error's
 * class, field and details. The per-issue `errors` list of a schema violation is left out: over
 * HTTP the route validator words it, in process the service's own check.
 */
export async function settled(call: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await call };
  } catch (err) {
    const e = err as Error & { details?: Record<string, unknown>; field?: string };
    const { errors: _errors, ...details } = e.details ?? {};
    return { error: e.constructor.name, field: e.field, details };
  }
}
