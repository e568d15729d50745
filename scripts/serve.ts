/**
 * A static file server for the built course site, on 127.0.0.1 only: what `npm run site:serve` runs and what the
 * browser test serves the site with. The site is built with trailingSlash: true, so every page is a folder with
 * an index.html: /docs/x/ is docs/x/index.html, and /docs/x (as a student types it) is redirected there, as any
 * static server does. Anything else that is not a file gets the site's own 404 page, with status 404.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/** Where a request path leads: a file to send, a redirect to the folder's slash, or nothing (404). */
export function resolveRequest(root: string, urlPath: string): { file: string } | { redirect: string } | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const full = resolve(root, `.${path}`);
  // Nothing outside the site's folder, whatever the path says (../, encoded or not).
  if (full !== resolve(root) && !full.startsWith(resolve(root) + sep)) return undefined;
  if (isFile(full)) return { file: full };
  if (isFile(join(full, 'index.html'))) return path.endsWith('/') ? { file: join(full, 'index.html') } : { redirect: `${urlPath}/` };
  return undefined;
}

export function serveSite(root: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = resolveRequest(root, url.pathname);
    if (found && 'redirect' in found) {
      res.writeHead(301, { location: `${found.redirect}${url.search}` });
      return res.end();
    }
    const file = found?.file ?? join(root, '404.html');
    res.writeHead(found ? 200 : 404, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(server));
  });
}
