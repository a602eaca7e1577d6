// The baseline: a bare node:http server answering each route with a constant body of the
// same shape and size as the reference server's answer. It reads the whole request body (as
// any real server must) but does nothing with it. Routes come as JSON from BASELINE_ROUTES:
// [{ "method": "POST", "pattern": "^/v1/contacts$", "status": 200, "body": "..." }].
// PORT=0 (the default) takes any free port; the line printed once it listens says which.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const routes = JSON.parse(readFileSync(process.env.BASELINE_ROUTES, 'utf8')).map((r) => ({
  method: r.method,
  pattern: new RegExp(r.pattern),
  status: r.status,
  body: Buffer.from(r.body),
}));
const notFound = Buffer.from('{"errors":[{"code":1006,"title":"Resource not found"}]}');

const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
  req.resume();
  req.on('end', () => {
    const body = route ? route.body : notFound;
    res.writeHead(route ? route.status : 404, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`node:http baseline listening on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
