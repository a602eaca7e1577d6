// Type-level plumbing that turns an openapi-typescript `operations[...]` entry into the
// request a handler receives and the responses it may return.

type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;

type BodyOf<Op> = Op extends { requestBody?: never }
  ? undefined
  : Op extends { requestBody: infer R }
    ? JsonOf<R>
    : Op extends { requestBody?: infer R }
      ? JsonOf<NonNullable<R>> | undefined
      : undefined;

type Params<Op, In extends 'path' | 'query' | 'header'> = Op extends { parameters: { [K in In]?: infer P } }
  ? [P] extends [never | undefined]
    ? Record<string, never>
    : NonNullable<P>
  : Record<string, never>;

/** What a handler receives: the validated body, path parameters, query and headers. */
export interface OperationRequest<Op> {
  body: BodyOf<Op>;
  params: Params<Op, 'path'>;
  query: Params<Op, 'query'>;
  // The contacts spec declares no header parameters: auth travels through security schemes.
  headers: Record<string, string | string[] | undefined>;
}

/** One documented response: its status and the body the spec allows for it. */
export type OperationResponse<Op> = Op extends { responses: infer R }
  ? {
      [S in keyof R & number]: { status: S; body: JsonOf<R[S]>; headers?: Record<string, string> };
    }[keyof R & number]
  : never;

/** The responses of an operation whose status is in the 2xx range. */
export type SuccessResponse<Op> = Extract<OperationResponse<Op>, { status: 200 | 201 | 202 | 204 }>;
