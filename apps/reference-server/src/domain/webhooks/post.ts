import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What one POST of a callback came to: the answer's status, or why there was none. */
export interface PostOutcome {
  httpStatus: number | undefined;
  error: string | undefined;
}

// node:http with keep-alive costs about a quarter of fetch's CPU per request; the deliverer bounds concurrency.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * POSTs a JSON body. The outcome is the answer's status if its head arrives within timeoutMs;
 * the answer's body is discarded (read to its end, or cut at timeoutMs); redirects are not followed.
 */
export function postCallback(url: string, body: string, timeoutMs: number): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    let status: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (error: string) => settle({ httpStatus: undefined, error });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      fail(`invalid URL ${url}`);
      return;
    }
    const https = target.protocol === 'https:';
    const req = (https ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: https ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        status = res.statusCode;
        // Settled at the body's end, so the next POST finds the connection free; a body cut short changes nothing.
        res.on('close', () => settle({ httpStatus: status, error: undefined }));
        res.resume();
      },
    );
    timer = setTimeout(() => {
      if (status === undefined) fail(`timeout: no answer within ${timeoutMs} ms`);
      else settle({ httpStatus: status, error: undefined });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (status === undefined) fail(error.code ?? error.message);
      else settle({ httpStatus: status, error: undefined });
    });
    req.end(body);
  });
}
